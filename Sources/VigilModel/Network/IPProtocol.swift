/// An IP protocol number (IANA's "Assigned Internet Protocol Numbers"), as flow logs carry it: an open
/// set of typed constants, as swift-nio's `IPProtocol`, so a comparison with a protocol reads as one
/// and cannot be mistyped.
public struct IPProtocol: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    @inlinable public static var icmp: IPProtocol { IPProtocol(rawValue: 1) }
    @inlinable public static var igmp: IPProtocol { IPProtocol(rawValue: 2) }
    @inlinable public static var tcp: IPProtocol { IPProtocol(rawValue: 6) }
    @inlinable public static var udp: IPProtocol { IPProtocol(rawValue: 17) }
    @inlinable public static var gre: IPProtocol { IPProtocol(rawValue: 47) }
    @inlinable public static var esp: IPProtocol { IPProtocol(rawValue: 50) }
    @inlinable public static var icmpv6: IPProtocol { IPProtocol(rawValue: 58) }
    @inlinable public static var sctp: IPProtocol { IPProtocol(rawValue: 132) }

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
