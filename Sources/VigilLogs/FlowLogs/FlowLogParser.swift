#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VigilModel

/// Parses VPC Flow Logs text lines as bytes, straight into integers and addresses.
///
/// Columns follow the file's own header (``FlowLogSchema``). A line with the wrong number of fields
/// or a value that does not fit its column is reported with its line number and skipped; the other
/// lines are read as usual.
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
        var line = base
        var lineNumber = firstLine
        var ordinal: UInt64 = 0
        var delivered: UInt64 = 0
        let columnCount = columns.count
        return columns.withUnsafeBufferPointer { columns -> UInt64 in
            while line < end {
                let newline = memchr(line, 0x0A, end - line).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) }
                var lineEnd: UnsafePointer<UInt8> = newline ?? end
                let next: UnsafePointer<UInt8> = newline.map { $0 + 1 } ?? end
                if lineEnd > line && lineEnd[-1] == 0x0D { lineEnd -= 1 }
                defer {
                    line = next
                    lineNumber += 1
                }
                var record = FlowRecord()
                var column = 0
                var failure: FlowField?? = .none
                var p = line
                while p < lineEnd {
                    while p < lineEnd && (p.pointee == 0x20 || p.pointee == 0x09) { p += 1 }
                    if p >= lineEnd { break }
                    let tokenStart = p
                    while p < lineEnd && p.pointee != 0x20 && p.pointee != 0x09 { p += 1 }
                    if column < columnCount, failure == nil, let field = columns[column] {
                        if !FlowLogParser.assign(field, RawText(start: tokenStart, count: p - tokenStart), to: &record) {
                            failure = .some(field)
                        }
                    }
                    column += 1
                }
                if column == 0 { continue }  // blank line
                let location = RecordLocation(record: ordinal, line: lineNumber, offset: offsetBase + UInt64(line - base))
                ordinal += 1
                if column != columnCount {
                    onIssue(location, "expected \(columnCount) fields, found \(column)")
                    continue
                }
                if case .some(let field) = failure {
                    onIssue(location, "bad value for \(field?.rawValue ?? "field")")
                    continue
                }
                record.location = location
                onRecord(&record)
                delivered += 1
            }
            return delivered
        }
    }

    /// Stores one token; returns `false` if the value does not fit the field.
    @inline(__always)
    static func assign(_ field: FlowField, _ token: RawText, to record: inout FlowRecord) -> Bool {
        let isDash = token.count == 1 && token.start![0] == 0x2D
        switch field {
        case .version:
            if isDash { return true }
            guard let v = token.uint64, v <= 255 else { return false }
            record.version = UInt8(v)
        case .accountId: if !isDash { record.accountId = token }
        case .interfaceId: if !isDash { record.interfaceId = token }
        case .srcaddr:
            if isDash { return true }
            guard let a = address(token) else { return false }
            record.srcAddr = a
        case .dstaddr:
            if isDash { return true }
            guard let a = address(token) else { return false }
            record.dstAddr = a
        case .srcport:
            if isDash { return true }
            guard let v = token.uint64, v <= 65535 else { return false }
            record.srcPort = UInt16(v)
        case .dstport:
            if isDash { return true }
            guard let v = token.uint64, v <= 65535 else { return false }
            record.dstPort = UInt16(v)
        case .protocol:
            if isDash { return true }
            guard let v = token.uint64, v <= 255 else { return false }
            record.protocolNumber = UInt8(v)
        case .packets:
            if isDash { return true }
            guard let v = token.uint64 else { return false }
            record.packets = v
        case .bytes:
            if isDash { return true }
            guard let v = token.uint64 else { return false }
            record.bytes = v
        case .start:
            if isDash { return true }
            guard let v = token.uint64, v <= UInt64(Int64.max / 1000) else { return false }
            record.start = Int64(v)
        case .end:
            if isDash { return true }
            guard let v = token.uint64, v <= UInt64(Int64.max / 1000) else { return false }
            record.end = Int64(v)
        case .action:
            if token.equals("ACCEPT") { record.action = .accept }
            else if token.equals("REJECT") { record.action = .reject }
            else if !isDash { return false }
        case .logStatus:
            if token.equals("OK") { record.logStatus = .ok }
            else if token.equals("NODATA") { record.logStatus = .noData }
            else if token.equals("SKIPDATA") { record.logStatus = .skipData }
            else if !isDash { return false }
        case .vpcId: if !isDash { record.vpcId = token }
        case .subnetId: if !isDash { record.subnetId = token }
        case .instanceId: if !isDash { record.instanceId = token }
        case .tcpFlags:
            if isDash { return true }
            guard let v = token.uint64, v <= 65535 else { return false }
            record.tcpFlags = UInt16(v)
        case .type: if !isDash { record.addressType = token }
        case .pktSrcaddr:
            if isDash { return true }
            guard let a = address(token) else { return false }
            record.pktSrcAddr = a
        case .pktDstaddr:
            if isDash { return true }
            guard let a = address(token) else { return false }
            record.pktDstAddr = a
        case .region: if !isDash { record.region = token }
        case .azId: if !isDash { record.azId = token }
        case .pktSrcAwsService: if !isDash { record.pktSrcAwsService = token }
        case .pktDstAwsService: if !isDash { record.pktDstAwsService = token }
        case .flowDirection:
            if token.equals("ingress") { record.flowDirection = .ingress }
            else if token.equals("egress") { record.flowDirection = .egress }
            else if !isDash { return false }
        case .trafficPath:
            if isDash { return true }
            guard let v = token.uint64, v <= 255 else { return false }
            record.trafficPath = UInt8(v)
        case .rejectReason: if !isDash { record.rejectReason = token }
        case .sublocationType, .sublocationId, .ecsClusterArn, .ecsClusterName, .ecsContainerInstanceArn,
             .ecsContainerInstanceId, .ecsContainerId, .ecsSecondContainerId, .ecsServiceName,
             .ecsTaskDefinitionArn, .ecsTaskArn, .ecsTaskId, .resourceId, .encryptionStatus:
            break
        }
        return true
    }

    @inline(__always)
    static func address(_ token: RawText) -> IPAddress? {
        if let v4 = IPAddress.parseIPv4(token.bytes) { return IPAddress(ipv4: v4) }
        return IPAddress(utf8: token.bytes)
    }
}
