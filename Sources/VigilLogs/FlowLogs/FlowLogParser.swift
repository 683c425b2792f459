import VigilModel

/// Parses VPC Flow Logs text lines as bytes, straight into integers and addresses.
///
/// Columns follow the file's own header (``FlowLogSchema``). Lines end at a newline (a CR before it
/// is dropped); fields are separated by spaces — and by any other byte up to 0x20, which no field
/// may hold. A line with the wrong number of fields or a value that does not fit its column is
/// reported with its line number and skipped; the other lines are read as usual.
public struct FlowLogParser: Sendable {
    public let schema: FlowLogSchema
    private let columns: [FlowField?]

    public init(schema: FlowLogSchema) {
        self.schema = schema
        self.columns = schema.columns
    }

    /// Parses every line of `bytes`. `firstLine` is the 1-based number of the first line in the
    /// file (2 after a header). `onRecord` sees each good record; `onIssue` each bad line. Returns
    /// the number of records delivered.
    @discardableResult
    public func parse(
        _ bytes: UnsafeRawBufferPointer, firstLine: UInt64, offsetBase: UInt64 = 0,
        onRecord: (inout FlowRecord) -> Void,
        onIssue: (RecordLocation, String) -> Void
    ) -> UInt64 {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return 0 }
        let end = base + bytes.count
        var lineNumber = firstLine
        var ordinal: UInt64 = 0
        var delivered: UInt64 = 0
        let columnCount = columns.count
        return columns.withUnsafeBufferPointer { columns -> UInt64 in
            // One record is reused for every line: each column sets its field (to nil for `-`), and
            // fields the schema lacks are never touched, so nothing stale survives a line.
            var record = FlowRecord()
            var p = base
            // One pass over the bytes: each line's end is found as its fields are read (a field
            // ends at a space, a newline or another control byte), not by a search ahead of them.
            while p < end {
                let line = p
                var column = 0
                var failed = false
                var failedField: FlowField?
                // Each column's bytes are consumed by the reader for its field, so numbers and
                // addresses are built while the token is scanned.
                while true {
                    // Separators: spaces and any other byte up to 0x20 but the newline (a CR before
                    // it, a tab). A token so starts with a byte above 0x20, and every reader
                    // consumes it.
                    while p < end && p.pointee <= 0x20 && p.pointee != 0x0A { p += 1 }
                    if p >= end || p.pointee == 0x0A { break }
                    if column < columnCount, !failed, let field = columns[column] {
                        let (next, ok) = FlowLogParser.read(field, at: p, end: end, into: &record)
                        if !ok {
                            failed = true
                            failedField = field
                        }
                        p = next
                    } else {
                        p = FlowLogParser.tokenEnd(from: p, end: end)
                    }
                    column += 1
                }
                if p < end { p += 1 }  // past the newline
                defer { lineNumber += 1 }
                if column == 0 { continue }  // blank line
                let location = RecordLocation(record: ordinal, line: lineNumber, offset: offsetBase + UInt64(line - base))
                ordinal += 1
                if column != columnCount {
                    onIssue(location, "expected \(columnCount) fields, found \(column)")
                    continue
                }
                if failed {
                    onIssue(location, "bad value for \(failedField?.rawValue ?? "field")")
                    continue
                }
                record.location = location
                onRecord(&record)
                delivered += 1
            }
            return delivered
        }
    }

    /// Reads the value of `field` starting at `p` and stores it; returns where the token ends and
    /// whether the value fits the field. Numbers and IPv4 addresses are parsed as the bytes are
    /// scanned; other values are stored as views.
    @inline(__always)
    static func read(_ field: FlowField, at p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>,
                     into record: inout FlowRecord) -> (UnsafePointer<UInt8>, Bool) {
        switch field {
        case .srcport, .dstport, .protocol, .packets, .bytes, .start, .end, .version, .tcpFlags, .trafficPath:
            let (value, digits) = DecimalDigits.read(at: p, end: end)
            let q = p + digits
            if digits == 0 || digits > 19 || (q < end && q.pointee > 0x20) {
                let tokenEnd = tokenEnd(from: q, end: end)
                guard tokenEnd - p == 1 && p.pointee == 0x2D else { return (tokenEnd, false) }
                clear(field, in: &record)
                return (tokenEnd, true)
            }
            return (q, store(field, value, into: &record))
        case .srcaddr, .dstaddr, .pktSrcaddr, .pktDstaddr:
            // Dotted quad, parsed as scanned; anything else (IPv6, `-`) goes to the general parser.
            var q = p
            var value: UInt32 = 0
            var part: UInt32 = 0
            var partDigits = 0
            var dots = 0
            var valid = true
            while q < end {
                let c = q.pointee
                let digit = c &- 0x30
                if digit < 10 {
                    part = part &* 10 &+ UInt32(digit)
                    partDigits += 1
                } else if c == 0x2E {
                    if partDigits == 0 || partDigits > 3 || part > 255 || dots == 3 { valid = false; break }
                    value = value << 8 | part
                    part = 0
                    partDigits = 0
                    dots += 1
                } else {
                    break
                }
                q += 1
            }
            let address: IPAddress?
            let tokenEnd: UnsafePointer<UInt8>
            if valid, dots == 3, partDigits > 0, partDigits <= 3, part <= 255, q == end || q.pointee <= 0x20 {
                address = IPAddress(ipv4: value << 8 | part)
                tokenEnd = q
            } else {
                tokenEnd = FlowLogParser.tokenEnd(from: q, end: end)
                let token = RawText(start: p, count: tokenEnd - p)
                if token.count == 1 && p.pointee == 0x2D {
                    address = nil
                } else {
                    guard let parsed = IPAddress(utf8: token.bytes) else { return (tokenEnd, false) }
                    address = parsed
                }
            }
            switch field {
            case .srcaddr: record.srcAddr = address
            case .dstaddr: record.dstAddr = address
            case .pktSrcaddr: record.pktSrcAddr = address
            default: record.pktDstAddr = address
            }
            return (tokenEnd, true)
        case .action:
            let tokenEnd = tokenEnd(from: p, end: end)
            let n = tokenEnd - p
            switch p.pointee {
            case 0x41 where n == 6 && RawText(start: p, count: n).equals("ACCEPT"): record.action = .accept
            case 0x52 where n == 6 && RawText(start: p, count: n).equals("REJECT"): record.action = .reject
            case 0x2D where n == 1: record.action = .unknown
            default: return (tokenEnd, false)
            }
            return (tokenEnd, true)
        case .logStatus:
            let tokenEnd = tokenEnd(from: p, end: end)
            let n = tokenEnd - p
            switch p.pointee {
            case 0x4F where n == 2 && p[1] == 0x4B: record.logStatus = .ok
            case 0x4E where n == 6 && RawText(start: p, count: n).equals("NODATA"): record.logStatus = .noData
            case 0x53 where n == 8 && RawText(start: p, count: n).equals("SKIPDATA"): record.logStatus = .skipData
            case 0x2D where n == 1: record.logStatus = .unknown
            default: return (tokenEnd, false)
            }
            return (tokenEnd, true)
        case .accountId, .interfaceId:
            let tokenEnd = tokenEnd(from: p, end: end)
            let token = tokenEnd - p == 1 && p.pointee == 0x2D ? RawText.absent : RawText(start: p, count: tokenEnd - p)
            if field == .accountId { record.accountId = token } else { record.interfaceId = token }
            return (tokenEnd, true)
        default:
            let tokenEnd = tokenEnd(from: p, end: end)
            return (tokenEnd, assign(field, RawText(start: p, count: tokenEnd - p), to: &record))
        }
    }

    /// Sets a numeric field to nil (`-` in the log).
    @inline(__always)
    static func clear(_ field: FlowField, in record: inout FlowRecord) {
        switch field {
        case .srcport: record.srcPort = nil
        case .dstport: record.dstPort = nil
        case .protocol: record.ipProtocol = nil
        case .packets: record.packets = nil
        case .bytes: record.bytes = nil
        case .start: record.start = nil
        case .end: record.end = nil
        case .version: record.version = nil
        case .tcpFlags: record.tcpFlags = nil
        case .trafficPath: record.trafficPath = nil
        default: break
        }
    }

    /// Where the token at `p` ends: at the first byte up to 0x20 (a space, a newline, another
    /// control byte) or at `end`.
    @inline(__always)
    static func tokenEnd(from p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var q = p
        while q < end && q.pointee > 0x20 { q += 1 }
        return q
    }

    /// Stores a numeric field; `false` if out of the field's range.
    @inline(__always)
    static func store(_ field: FlowField, _ value: UInt64, into record: inout FlowRecord) -> Bool {
        switch field {
        case .srcport:
            guard value <= 65535 else { return false }
            record.srcPort = UInt16(value)
        case .dstport:
            guard value <= 65535 else { return false }
            record.dstPort = UInt16(value)
        case .protocol:
            guard value <= 255 else { return false }
            record.ipProtocol = IPProtocol(rawValue: UInt8(value))
        case .packets: record.packets = value
        case .bytes: record.bytes = value
        case .start:
            guard value <= UInt64(Int64.max / 1000) else { return false }
            record.start = Int64(value)
        case .end:
            guard value <= UInt64(Int64.max / 1000) else { return false }
            record.end = Int64(value)
        case .version:
            guard value <= 255 else { return false }
            record.version = UInt8(value)
        case .tcpFlags:
            guard value <= 65535 else { return false }
            record.tcpFlags = UInt16(value)
        case .trafficPath:
            guard value <= 255 else { return false }
            record.trafficPath = UInt8(value)
        default:
            return false
        }
        return true
    }

    /// Stores one token of a text or enumerated field (the numeric, address, action, log-status,
    /// account and interface fields are read by ``read(_:at:end:into:)`` itself); returns `false`
    /// if the value does not fit the field.
    static func assign(_ field: FlowField, _ token: RawText, to record: inout FlowRecord) -> Bool {
        let isDash = token.count == 1 && token.start![0] == 0x2D
        let text = isDash ? RawText.absent : token
        switch field {
        case .vpcId: record.vpcId = text
        case .subnetId: record.subnetId = text
        case .instanceId: record.instanceId = text
        case .type: record.addressType = text
        case .region: record.region = text
        case .azId: record.azId = text
        case .pktSrcAwsService: record.pktSrcAwsService = text
        case .pktDstAwsService: record.pktDstAwsService = text
        case .rejectReason: record.rejectReason = text
        case .flowDirection:
            if token.equals("ingress") { record.flowDirection = .ingress }
            else if token.equals("egress") { record.flowDirection = .egress }
            else if isDash { record.flowDirection = .unknown }
            else { return false }
        case .sublocationType, .sublocationId, .ecsClusterArn, .ecsClusterName, .ecsContainerInstanceArn,
             .ecsContainerInstanceId, .ecsContainerId, .ecsSecondContainerId, .ecsServiceName,
             .ecsTaskDefinitionArn, .ecsTaskArn, .ecsTaskId, .resourceId, .encryptionStatus:
            break
        case .version, .accountId, .interfaceId, .srcaddr, .dstaddr, .srcport, .dstport, .protocol, .packets,
             .bytes, .start, .end, .action, .logStatus, .tcpFlags, .pktSrcaddr, .pktDstaddr, .trafficPath:
            preconditionFailure("\(field.rawValue) is read by FlowLogParser.read")
        }
        return true
    }
}
