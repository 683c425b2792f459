import VigilGeo
import VigilLogs
import VigilModel

/// Where an API call came from, as the baseline detectors describe it: the source address, its
/// autonomous system and country (from the configured geolocation databases), or the AWS service
/// that called on the principal's behalf.
struct CallOrigin {
    let address: IPAddress?
    /// Autonomous system and country: no text, so no allocation on the per-event path.
    let facts: GeoFacts?
    let geo: GeoFactsReader?

    init(_ event: CloudTrailEvent, geo: GeoFactsReader?) {
        address = event.sourceAddress
        self.geo = geo
        facts = address.flatMap { geo?.facts($0) }
    }

    private var asn: UInt32? { facts.flatMap { $0.asn == 0 ? nil : $0.asn } }

    /// The autonomous system's name, for what is shown (asked only when a value is new): from the
    /// databases' AS tables, else from the address's full location.
    private func organization(_ asn: UInt32) -> String? {
        geo?.enricher.asName(asn) ?? address.flatMap { geo?.enricher.locate($0)?.asnOrganization }
    }

    /// Autonomous systems of Amazon (AWS's public ranges, CloudFront, Amazon's corporate network).
    static let amazonASNs: Set<UInt32> = [16509, 14618, 8987, 7224, 39111, 38895, 10124, 62785, 58588]

    /// Whether the address is AWS's; `nil` when its autonomous system is unknown.
    var isAWS: Bool? { asn.map { Self.amazonASNs.contains($0) } }

    /// The network feature: the autonomous system when known (`AS7922 COMCAST-7922`), else the
    /// address's /16 (IPv4) or /32 (IPv6) prefix, else the calling service's name.
    func networkValue(_ event: CloudTrailEvent, pool: ValuePool) -> Int32? {
        if let asn {
            return pool.id(hash: UInt64(asn) &* 0x9E37_79B9_7F4A_7C15 ^ 0x6E65_7477) {
                organization(asn).map { "AS\(asn) \($0)" } ?? "AS\(asn)"
            }
        }
        if let address {
            let prefix = address.isIPv4 ? IPAddress(high: address.high, low: address.low & ~0xFFFF) : IPAddress(high: address.high & ~0xFFFF_FFFF, low: 0)
            return pool.id(hash: prefix.high &* 31 ^ prefix.low ^ 0x7072_6566) {
                "\(prefix)/\(address.isIPv4 ? 16 : 32)"
            }
        }
        let service = event.sourceIPAddress
        guard service.isPresent else { return nil }
        return pool.id(hash: ByteHash.fnv1a(service.bytes) ^ 0x7376_6300) { service.string ?? "" }
    }

    func countryValue(pool: ValuePool) -> Int32? {
        guard let facts, facts.hasCountry else { return nil }
        // The two letters hashed as their bytes, as the code's text would hash.
        var hash = ByteHash()
        hash.add(UInt8(facts.country >> 8))
        hash.add(UInt8(facts.country & 0xFF))
        return pool.id(hash: hash.value ^ 0x636F_756E) { facts.countryCode ?? "" }
    }

    /// `203.0.113.7 (AS64500 EXAMPLE, NL)`.
    var text: String {
        var parts: [String] = []
        if let asn { parts.append("AS\(asn)" + (organization(asn).map { " \($0)" } ?? "")) }
        if let country = facts?.countryCode { parts.append(country) }
        let address = address.map { "\($0)" } ?? "an AWS service"
        return parts.isEmpty ? address : "\(address) (\(parts.joined(separator: ", ")))"
    }
}

/// The family of a user agent: the product in its first token, lower-cased (`aws-cli`, `boto3`,
/// `aws-sdk-go`, `terraform`), `browser` for web browsers and `console` for the AWS console's own
/// calls (`console.amazonaws.com`, `signin.amazonaws.com`, `AWS Internal`). Reads only the first
/// token: a few bytes an event.
enum UserAgentFamily {
    static func value(_ agent: RawText, pool: ValuePool) -> Int32? {
        guard agent.count > 0, let start = agent.start else { return nil }
        // The console's own calls name it at the start of the agent.
        if agent.hasPrefix("console.") || agent.hasPrefix("signin.") || agent.hasPrefix("AWS Internal") {
            return pool.id(hash: 0x636F_6E73_6F6C_6500) { "console" }
        }
        var i = 0
        while i < agent.count && (start[i] == UInt8(ascii: "[") || start[i] == 0x20) { i += 1 }
        var hash = ByteHash()
        let begin = i
        while i < agent.count && i - begin < 40 {
            let b = start[i]
            if b == UInt8(ascii: "/") || b == 0x20 || b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: "]") { break }
            hash.addLowercased(b)
            i += 1
        }
        guard i > begin else { return nil }
        let token = agent.dropFirst(begin).prefix(i - begin)
        if token.equalsIgnoringCase("Mozilla") || token.equalsIgnoringCase("Opera") {
            return pool.id(hash: 0x6272_6F77_7365_7200) { "browser" }
        }
        return pool.id(hash: hash.value) { (token.string ?? "").lowercased() }
    }
}
