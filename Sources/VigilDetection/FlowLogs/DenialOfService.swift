import VigilLogs
import VigilModel

/// `Backdoor:EC2/DenialOfService.*` — an instance flooding one remote host.
///
/// Counts the packets an instance sends to one remote address within `window` seconds of event
/// time, per kind of traffic, and fires when they reach `packets`:
/// - `.Tcp`: TCP whose packets average at most `tcpMaximumPacketBytes` (floods of SYNs or ACKs, not
///   bulk transfers, which carry full packets);
/// - `.Dns`: UDP to or from port 53;
/// - `.UdpOnTcpPorts`: UDP to a port that serves TCP (`tcpPorts`: HTTP, SSH, RDP, databases, …;
///   443 is left out because QUIC uses it);
/// - `.Udp`: any other UDP;
/// - `.UnusualProtocol`: IP protocols other than TCP, UDP and ICMP (GRE floods, protocol 0 or 255).
/// Only records that carry at least `minimumRecordPackets` packets reach the table, so ordinary
/// traffic costs two comparisons. The instance is the ACTOR.
public final class DenialOfService: FlowLogDetector {
    public struct Thresholds: Sendable, Codable, Equatable {
        public var window: Int64 = 300
        public var packets: UInt64 = 500_000
        public var minimumRecordPackets: UInt64 = 1_000
        public var tcpMaximumPacketBytes: UInt64 = 120
        public var tcpPorts: [UInt16] = [21, 22, 23, 25, 80, 110, 143, 445, 1433, 3306, 3389, 5432, 6379, 8080, 8443, 27017]
        public var tableCapacity = 16_384
        public init() {}
    }

    enum Kind: UInt64, CaseIterable {
        case tcp = 1, udp, dns, udpOnTcpPorts, unusualProtocol
        var findingType: FindingType {
            switch self {
            case .tcp: FindingType.backdoorEC2DenialOfServiceTcp
            case .udp: FindingType.backdoorEC2DenialOfServiceUdp
            case .dns: FindingType.backdoorEC2DenialOfServiceDns
            case .udpOnTcpPorts: FindingType.backdoorEC2DenialOfServiceUdpOnTcpPorts
            case .unusualProtocol: FindingType.backdoorEC2DenialOfServiceUnusualProtocol
            }
        }
        var what: String {
            switch self {
            case .tcp: "TCP"
            case .udp: "UDP"
            case .dns: "DNS"
            case .udpOnTcpPorts: "UDP on a TCP port"
            case .unusualProtocol: "an unusual IP protocol"
            }
        }
    }

    public let name = "denial-of-service"
    public let findingTypes = Kind.allCases.map(\.findingType)
    public var interest: FlowInterest { FlowInterest(minimumPackets: thresholds.minimumRecordPackets, direction: .outbound, acceptedOnly: true) }
    private let thresholds: Thresholds
    private let tcpPorts: Set<UInt16>
    private var flows: KeyedWindows<(packets: UInt64, bytes: UInt64, fired: Bool)>

    public init(thresholds: Thresholds = Thresholds()) {
        self.thresholds = thresholds
        self.tcpPorts = Set(thresholds.tcpPorts)
        flows = KeyedWindows(window: thresholds.window, capacity: thresholds.tableCapacity, fresh: { (0, 0, false) })
    }

    public func inspect(_ record: inout FlowRecord, source: LogSource, into sink: FindingSink) {
        guard let packets = record.packets, packets >= thresholds.minimumRecordPackets, record.logStatus == .ok,
              record.action == .accept, let proto = record.ipProtocol, let end = record.end,
              let src = record.packetSource, let dst = record.packetDestination,
              record.outbound == true else { return }
        let bytes = record.bytes ?? 0
        let kind: Kind
        switch proto {
        case .tcp:
            guard bytes <= packets &* thresholds.tcpMaximumPacketBytes else { return }
            kind = .tcp
        case .udp:
            if record.dstPort == 53 || record.srcPort == 53 { kind = .dns }
            else if let port = record.dstPort, tcpPorts.contains(port) { kind = .udpOnTcpPorts }
            else { kind = .udp }
        case .icmp, .icmpv6: return
        default: kind = .unusualProtocol
        }
        let key = mixKey(src.low ^ src.high, dst.low ^ dst.high, kind.rawValue)
        let limit = thresholds.packets
        let total: (UInt64, UInt64)? = flows.update(key, at: end) { flow in
            flow.packets += packets
            flow.bytes += bytes
            if !flow.fired && flow.packets >= limit {
                flow.fired = true
                return (flow.packets, flow.bytes)
            }
            return nil
        }
        guard let (sent, sentBytes) = total, let flow = FlowContext(record, source: source, allowPrivateRemote: true) else { return }
        var observation = flow.observation(
            kind.findingType, role: .actor,
            title: "\(flow.resourceKey) is behaving in a manner indicating it is being used to perform a Denial of Service (DoS) attack using \(kind.what).",
            description: "\(flow.resourceKey) sent \(sent) packets (\(sentBytes) bytes) of \(kind.what) traffic to \(flow.remote) within \(thresholds.window / 60) minutes.")
        observation.details = ["packets": String(sent), "bytes": String(sentBytes)]
        sink.report(observation)
    }
}
