/// An IP protocol number (IANA's "Assigned Internet Protocol Numbers"), as flow logs carry it: an open
/// set of typed constants, as swift-nio's `IPProtocol`, so a comparison with a protocol reads as one
/// and cannot be mistyped.
public struct IPProtocol: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let icmp = IPProtocol(rawValue: 1)
    public static let igmp = IPProtocol(rawValue: 2)
    public static let tcp = IPProtocol(rawValue: 6)
    public static let udp = IPProtocol(rawValue: 17)
    public static let gre = IPProtocol(rawValue: 47)
    public static let esp = IPProtocol(rawValue: 50)
    public static let icmpv6 = IPProtocol(rawValue: 58)
    public static let sctp = IPProtocol(rawValue: 132)

    /// The name GuardDuty's findings give the protocol (`TCP`, `UDP`, `ICMP`, …, else the number).
    public var description: String {
        switch self {
        case .icmp: "ICMP"
        case .igmp: "IGMP"
        case .tcp: "TCP"
        case .udp: "UDP"
        case .gre: "GRE"
        case .esp: "ESP"
        case .icmpv6: "ICMPv6"
        case .sctp: "SCTP"
        default: String(rawValue)
        }
    }
}
