import Foundation

/// One indicator read from a list: an address or network, or a domain, and the threat it names.
public struct Indicator: Hashable, Sendable {
    public enum Value: Hashable, Sendable {
        case network(IPPrefix)
        case domain(String)
    }
    public var value: Value
    /// The threat the list names for it (`Emotet`, `Malicious Host`), if any.
    public var threatName: String?

    public init(_ value: Value, threatName: String? = nil) {
        self.value = value
        self.threatName = threatName?.isEmpty == true ? nil : threatName
    }

    /// Reads an address, a CIDR range or a domain name; `nil` if the text is none of them.
    public static func parse(_ text: some StringProtocol, threatName: String? = nil) -> Indicator? {
        let token = String(text.trimmingSpaces)
        if token.isEmpty { return nil }
        if let prefix = IPPrefix(token) { return Indicator(.network(prefix), threatName: threatName) }
        var candidate = token
        if let schemeEnd = candidate.firstRange(ofASCII: "://") { candidate = String(candidate[schemeEnd.upperBound...]) }
        if let slash = candidate.firstIndex(ofASCII: 0x2F) { candidate = String(candidate[..<slash]) }
        if candidate.count(ofASCII: 0x3A) == 1, let colon = candidate.firstIndex(ofASCII: 0x3A) { candidate = String(candidate[..<colon]) }
        if candidate != token, let prefix = IPPrefix(candidate) { return Indicator(.network(prefix), threatName: threatName) }
        guard let name = DomainName.normalize(candidate), DomainName.isPlausible(name) else { return nil }
        return Indicator(.domain(name), threatName: threatName)
    }
}
