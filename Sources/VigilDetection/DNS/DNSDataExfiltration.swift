import VigilIntel
import VigilLogs
import VigilModel

/// `Trojan:EC2/DNSDataExfiltration` — data smuggled out in query names (DNS tunnels such as iodine,
/// dns2tcp, dnscat2, and exfiltration tools).
///
/// A query is *encoded* when the part in front of the registrable domain carries data rather than
/// a host name: bytes a host name cannot hold (base64 `+ / =`, raw 8-bit as iodine sends),
/// mixed case in a name whose domain is not case-randomised (base64), a long hex run (≥ 16), or a
/// long high-entropy label (≥ 24 characters at ≥ 3.5 bits each); TXT, NULL and other data-carrying
/// types lower the length needed to 16 characters. Host names built of words and numbers
/// (`selector1._domainkey`, `r3---sn-ab5l6nze`) have short labels and are not data.
/// Lookups that carry an address or a digest rather than data are read as what they are: a leading
/// reversed IPv4 or IPv6 address (DNS blocklists, `4.3.2.1.zen.spamhaus.org`; reverse zones) and a
/// leading label that is exactly an MD5, SHA-1 or SHA-256 digest (malware-hash services,
/// `<md5>.malware.hash.cymru.com`) are set aside, and only what follows them is judged (a
/// blocklist's access key is the same in every query).
///
/// The finding fires when one instance sends encoded queries for `encodedQueries` *distinct*
/// names under one registrable domain within `window` seconds of event time (distinct encoded
/// parts, estimated with a 256-bit bitmap): a tunnel's names change with its data, while a long
/// service name (an EKS endpoint's hex ID, a load balancer's) is asked again and again.
/// Registrable domains in `exemptDomains` are skipped: security services that look up hashes in
/// DNS, DNS blocklists, and AWS's own service domains, whose names only AWS's name servers answer —
/// nobody else can receive what a query under them carries.
public final class DNSDataExfiltration: DNSDetector {
    public struct Thresholds: Sendable, Codable, Equatable {
        public var window: Int64 = 600
        public var encodedQueries = 10
        public var exemptDomains: [String] = ["mcafee.com", "sophosxl.net", "trendmicro.com", "e5.sk", "spamhaus.org",
                                              "surbl.org", "spamcop.net", "barracudacentral.org", "uribl.com", "senderbase.org",
                                              "spamhaus.net", "cymru.com", "abuse.ch",
                                              "amazonaws.com", "amazonaws.com.cn", "api.aws", "on.aws", "cloudfront.net",
                                              "awsglobalaccelerator.com", "elasticbeanstalk.com", "amazontrust.com"]
        public var tableCapacity = 65_536
        public init() {}
    }

    public let name = "dns-data-exfiltration"
    public let findingTypes = [FindingType.trojanEC2DNSDataExfiltration]
    private let suffixes: PublicSuffixList?
    private let thresholds: Thresholds
    private let exempt: Set<String>
    private var sessions: KeyedWindows<Session>

    /// One instance's encoded queries under one domain in the window.
    struct Session {
        var count = 0
        var bytes = 0
        var fired = false
        /// The encoded parts seen, hashed into 256 bits.
        var names: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        /// Marks `hash`; returns the distinct parts marked so far.
        mutating func mark(_ hash: UInt64) -> Int {
            let bit = Int(truncatingIfNeeded: hash & 255)
            withUnsafeMutableBytes(of: &names) { $0.bindMemory(to: UInt64.self)[bit >> 6] |= 1 << UInt64(bit & 63) }
            return names.0.nonzeroBitCount + names.1.nonzeroBitCount + names.2.nonzeroBitCount + names.3.nonzeroBitCount
        }
    }

    public init(publicSuffixes: PublicSuffixList?, thresholds: Thresholds = Thresholds()) {
        self.suffixes = publicSuffixes
        self.thresholds = thresholds
        self.exempt = Set(thresholds.exemptDomains.map { $0.lowercased() })
        sessions = KeyedWindows(window: thresholds.window, capacity: thresholds.tableCapacity, fresh: { Session() })
    }

    public func inspect(_ query: ResolverQuery, source: LogSource, into sink: FindingSink) {
        let raw = query.queryName
        // A name with nothing in front of a short registrable domain carries nothing: cheap exit.
        let dataType = Self.isDataType(query.queryType)
        guard raw.count >= 24 || (raw.count >= 12 && dataType) else { return }
        guard let parts = DomainParts(raw, suffixes: suffixes), !parts.subdomain.isEmpty, !exempt.contains(parts.registrable) else { return }
        let trailingDot = raw.bytes.last == 0x2E ? 1 : 0
        let subdomainBytes = raw.count - trailingDot - parts.registrable.utf8.count - 1
        guard subdomainBytes > 0 else { return }
        let skip = Self.lookupPrefixLength(raw.bytes, subdomainLength: subdomainBytes)
        guard skip < subdomainBytes else { return }
        let payload = UnsafeRawBufferPointer(rebasing: raw.bytes[skip...])
        guard Self.isEncoded(payload, subdomainLength: subdomainBytes - skip, dataType: dataType) else { return }
        let payloadHash = ByteHash.fnv1a(UnsafeRawBufferPointer(rebasing: payload[..<(subdomainBytes - skip)]))
        var instance = query.instanceId.isPresent ? ByteHash.fnv1a(query.instanceId.bytes) : query.sourceAddress.map { mixKey($0.low, $0.high) } ?? 0
        var registrable = parts.registrable
        instance = mixKey(instance, registrable.withUTF8 { ByteHash.fnv1a(UnsafeRawBufferPointer($0)) })
        let limit = thresholds.encodedQueries
        let fired: (count: Int, bytes: Int, distinct: Int)? = sessions.update(instance, at: query.queryTimestamp.millisecondsSinceEpoch / 1000) { session in
            session.count += 1
            session.bytes += subdomainBytes
            let distinct = session.mark(payloadHash)
            if !session.fired && distinct >= limit {
                session.fired = true
                return (session.count, session.bytes, distinct)
            }
            return nil
        }
        guard let fired else { return }
        let dns = DNSContext(query, source: source, suffixes: suffixes)
        var observation = dns.observation(
            findingTypes[0], title: "\(dns.instance) is exfiltrating data through DNS queries to \(parts.registrable).",
            description: "\(dns.instance) sent \(fired.count) queries for \(fired.distinct) different names under \(parts.registrable) within \(thresholds.window / 60) minutes whose names carry encoded data (\(fired.bytes) bytes of subdomain; query type \(query.queryType.string ?? "?")). DNS tunnels hide data in query names to get it past firewalls.",
            evidence: nil)
        observation.identity = .init(resource: dns.instance, actor: parts.registrable)
        observation.details = ["encodedQueries": String(fired.count), "encodedBytes": String(fired.bytes)]
        sink.report(observation)
    }

    /// Whether the query name `name` (as logged, any case, trailing dot or not) carries encoded
    /// data in front of its registrable domain — the per-query test, for reports and tools.
    public static func carriesData(_ name: String, queryType: String = "A", suffixes: PublicSuffixList?) -> Bool {
        var bytes = Array(name.utf8)
        return bytes.withUnsafeMutableBytes { raw -> Bool in
            let text = RawText(start: raw.baseAddress.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) }, count: raw.count)
            guard let parts = DomainParts(text, suffixes: suffixes), !parts.subdomain.isEmpty else { return false }
            let trailingDot = raw.last == 0x2E ? 1 : 0
            let n = raw.count - trailingDot - parts.registrable.utf8.count - 1
            let dataType = ["TXT", "NULL", "PRIVATE", "ANY", "CNAME", "MX"].contains(queryType.uppercased())
            guard n > 0 else { return false }
            let skip = lookupPrefixLength(UnsafeRawBufferPointer(raw), subdomainLength: n)
            return skip < n && isEncoded(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(raw)[skip...]), subdomainLength: n - skip, dataType: dataType)
        }
    }

    /// The length (with its dot) of a leading reversed address or digest label in the first
    /// `subdomainLength` bytes of `name`: four decimal labels of at most three digits each (a
    /// reversed IPv4 address), eight or more single hexadecimal digits (the nibbles of a reversed
    /// IPv6 address), or one label of exactly 32, 40 or 64 hexadecimal digits (an MD5, SHA-1 or
    /// SHA-256 digest). 0 when the name starts with none of these.
    static func lookupPrefixLength(_ name: UnsafeRawBufferPointer, subdomainLength n: Int) -> Int {
        var i = 0, label = 0
        var decimals = true, nibbles = true
        var nibbleEnd = 0, nibbleCount = 0
        while i < n && (decimals || nibbles) {
            var j = i
            var digits = true, hex = true
            while j < n && name[j] != 0x2E {
                let c = name[j]
                if !(c &- 0x30 < 10) { digits = false }
                if !(c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 6) { hex = false }
                j += 1
            }
            let length = j - i
            let next = Swift.min(j + 1, n)
            if label == 0 && hex && (length == 32 || length == 40 || length == 64) { return next }
            label += 1
            decimals = decimals && digits && length >= 1 && length <= 3
            if decimals && label == 4 { return next }
            nibbles = nibbles && hex && length == 1
            if nibbles {
                nibbleEnd = next
                nibbleCount += 1
            }
            i = next
        }
        return nibbleCount >= 8 ? nibbleEnd : 0
    }

    static func isDataType(_ type: RawText) -> Bool {
        type.equals("TXT") || type.equals("NULL") || type.equals("PRIVATE") || type.equals("ANY") || type.equals("CNAME") || type.equals("MX")
    }

    /// Whether the first `subdomainLength` bytes of `name` (the part in front of the registrable
    /// domain) carry encoded data.
    static func isEncoded(_ name: UnsafeRawBufferPointer, subdomainLength n: Int, dataType: Bool) -> Bool {
        var upper = 0, lower = 0, odd = 0, characters = 0, digits = 0
        var label = 0, longestLabel = 0, hexRun = 0, longestHexRun = 0
        // Character histogram (64 buckets) on the stack: this runs for every long query name.
        var histogram = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                         UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))  // 64 × UInt16
        for i in 0..<n {
            let c = name[i]
            if c == 0x2E {
                label = 0
                hexRun = 0
                continue
            }
            characters += 1
            label += 1
            longestLabel = max(longestLabel, label)
            switch c {
            case 0x41...0x5A: upper += 1
            case 0x61...0x7A: lower += 1
            case 0x30...0x39: digits += 1
            case 0x2D, 0x5F: break
            default: odd += 1
            }
            let folded = c &- 0x41 < 26 ? c | 0x20 : c
            let isHex = (folded &- 0x30 < 10) || (folded &- 0x61 < 6)
            hexRun = isHex ? hexRun + 1 : 0
            longestHexRun = max(longestHexRun, hexRun)
            withUnsafeMutableBytes(of: &histogram) { $0.bindMemory(to: UInt16.self)[Int(folded & 63)] &+= 1 }
        }
        if odd > 0 && characters >= 4 { return true }
        // Mixed case is data only if the domain's own letters are not case-randomised (DNS 0x20).
        if upper > 0 && lower > 0 && upper + lower >= 8 {
            var domainMixed = (upper: false, lower: false)
            for i in n..<name.count {
                let c = name[i]
                if c &- 0x41 < 26 { domainMixed.upper = true } else if c &- 0x61 < 26 { domainMixed.lower = true }
            }
            if !(domainMixed.upper && domainMixed.lower) { return true }
        }
        if longestHexRun >= 16 && digits > 0 && digits < characters { return true }
        guard longestLabel >= (dataType ? 16 : 24) else { return false }
        var entropy = 0.0
        withUnsafeBytes(of: &histogram) { raw in
            for count in raw.bindMemory(to: UInt16.self) where count > 0 {
                let p = Double(count) / Double(characters)
                entropy -= p * log2(p)
            }
        }
        return entropy >= 3.5
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
