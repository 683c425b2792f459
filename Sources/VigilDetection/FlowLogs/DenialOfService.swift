import Foundation
import VigilLogs
import VigilModel

/// `Backdoor:EC2/DenialOfService.*` — an instance flooding one remote host.
///
/// Flood tools leave two shapes in flow logs, and both are counted per instance, remote address
/// and kind of traffic within `window` seconds of event time:
/// - **many small records**: a SYN or DNS flood from changing source ports is summarised as one
///   record per source port, each of one or two packets. `records` records to one host from at
///   least `sourcePorts` source ports (estimated with a 128-bit bitmap), aimed at a few of its ports
///   (at most four; a scan of its ports is reconnaissance), are a flood, whatever each record's
///   packet count.
/// - **volume**: `packets` packets to one host (an IGMP or GRE stream, a UDP blast from one socket).
///
/// What sets a flood apart from heavy legitimate traffic is that it is one-sided: nothing comes
/// back. Replies (packets from the remote host to the instance) are counted in the same window,
/// and UDP and other protocols fire only while replies stay under `replyShare` of what was sent
/// and the sending was seen in at least two aggregation intervals (or in four times the records) —
/// so a tunnel carrying gigabytes each way (WireGuard, one long-lived socket pair) is not a flood,
/// whichever direction's record is read first. TCP floods are told by their records instead (SYN
/// or ACK floods: small packets, at most three a record — a handshake the instance never
/// completes); a server answering them with SYN-ACKs does not make them less of a flood, while bulk
/// transfers, which carry full packets, never count.
///
/// Kinds: `.Tcp`; `.Dns` (UDP to or from port 53); `.UdpOnTcpPorts` (UDP to a port that serves
/// TCP: `tcpPorts`, 443 left out because QUIC uses it); `.Udp` (other UDP); `.UnusualProtocol` (IP
/// protocols other than TCP, UDP and ICMP: IGMP, GRE, protocol 0 or 255). The instance is the ACTOR.
/// Costs one table update per accepted record (two for one that is outbound).
public final class DenialOfService: FlowLogDetector {
    public struct Thresholds: Sendable, Codable, Equatable {
        public var window: Int64 = 300
        /// Packets to one host within the window.
        public var packets: UInt64 = 300_000
        /// Records to one host within the window (many small records: one per source port).
        public var records: UInt32 = 5_000
        /// Source ports those records come from (estimated; at most about 500 are told apart).
        public var sourcePorts: Int = 100
        /// UDP and other protocols: replies above this share of the packets sent mean an exchange.
        public var replyShare: Double = 0.1
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

    /// What an instance sent one host, of one kind, in the window.
    struct Sent {
        var packets: UInt64 = 0
        var bytes: UInt64 = 0
        var records: UInt32 = 0
        /// Source ports seen, hashed into 128 bits.
        var ports: (UInt64, UInt64) = (0, 0)
        /// Destination ports seen, hashed into 64 bits (a flood hits one or a few; a port scan, many).
        var targets: UInt64 = 0
        var firstEnd: Int64 = 0
        var spansIntervals = false
        var fired = false

        /// Source ports seen (linear counting over the bitmap; exact for a few, saturating near 500).
        var sourcePortEstimate: Int {
            let zero = 128 - ports.0.nonzeroBitCount - ports.1.nonzeroBitCount
            if zero == 0 { return 600 }
            return Int((-128.0 * log(Double(zero) / 128.0)).rounded())
        }
    }

    public let name = "denial-of-service"
    public let findingTypes = Kind.allCases.map(\.findingType)
    public var interest: FlowInterest { FlowInterest(acceptedOnly: true) }
    private let thresholds: Thresholds
    private let tcpPorts: Set<UInt16>
    private var sent: KeyedWindows<Sent>
    /// Packets each remote host sent an instance in the window, by instance and host.
    private var replies: KeyedWindows<UInt64>

    public init(thresholds: Thresholds = Thresholds()) {
        self.thresholds = thresholds
        self.tcpPorts = Set(thresholds.tcpPorts)
        sent = KeyedWindows(window: thresholds.window, capacity: thresholds.tableCapacity, fresh: { Sent() })
        replies = KeyedWindows(window: thresholds.window, capacity: thresholds.tableCapacity, fresh: { 0 })
    }

    public func inspect(_ record: inout FlowRecord, source: LogSource, into sink: FindingSink) {
        guard record.logStatus == .ok, record.action == .accept, let packets = record.packets, packets > 0,
              let proto = record.ipProtocol, let end = record.end,
              let src = record.packetSource, let dst = record.packetDestination, let outbound = record.outbound else { return }
        if !outbound {
            // A reply: the remote host (src) sent the instance (dst) something.
            replies.update(mixKey(dst.low ^ dst.high, src.low ^ src.high), at: end) { $0 &+= packets }
            return
        }
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
        let local = src.low ^ src.high, remote = dst.low ^ dst.high
        let portBit = record.srcPort.map { UInt64(truncatingIfNeeded: mixKey(UInt64($0), 0x5eed)) & 127 }
        let targetBit = UInt64(1) << (UInt64(truncatingIfNeeded: mixKey(UInt64(record.dstPort ?? 0), 0x7a9e)) & 63)
        let t = thresholds
        // TCP counts only handshake-sized records (or volume of small packets); others count all.
        let counts = kind != .tcp || packets <= 3
        let state: Sent? = sent.update(mixKey(local, remote, kind.rawValue), at: end) { flow in
            if flow.fired { return nil }
            if flow.records == 0 { flow.firstEnd = end } else if end != flow.firstEnd { flow.spansIntervals = true }
            flow.packets &+= packets
            flow.bytes &+= bytes
            if counts { flow.records &+= 1 }
            if let bit = portBit {
                if bit < 64 { flow.ports.0 |= 1 << bit } else { flow.ports.1 |= 1 << (bit - 64) }
            }
            flow.targets |= targetBit
            // Many records to a few ports of the host (a port scan of it is many ports: Recon, not DoS).
            let manyRecords = flow.records >= t.records && flow.sourcePortEstimate >= t.sourcePorts && flow.targets.nonzeroBitCount <= 4
            guard manyRecords || flow.packets >= t.packets else { return nil }
            return flow
        }
        guard let flood = state else { return }
        if kind != .tcp {
            // One-sided, and not judged on a single interval's first record.
            let answered = replies.update(mixKey(local, remote), at: end) { $0 }
            guard Double(answered) <= Double(flood.packets) * t.replyShare,
                  flood.spansIntervals || flood.records >= t.records &* 4 else { return }
        }
        sent.update(mixKey(local, remote, kind.rawValue), at: end) { $0.fired = true }
        guard let flow = FlowContext(record, source: source, allowPrivateRemote: true) else { return }
        let ports = flood.sourcePortEstimate
        var observation = flow.observation(
            kind.findingType, role: .actor,
            title: "\(flow.resourceKey) is behaving in a manner indicating it is being used to perform a Denial of Service (DoS) attack using \(kind.what).",
            description: "\(flow.resourceKey) sent \(flood.packets) packets (\(flood.bytes) bytes) of \(kind.what) traffic in \(flood.records) records"
                + " from \(ports >= 600 ? "500+" : "about \(ports)") source ports to \(flow.remote) within \(t.window / 60) minutes, "
                + (kind == .tcp ? "in handshake-sized records." : "with next to nothing coming back."))
        observation.details = ["packets": String(flood.packets), "bytes": String(flood.bytes), "records": String(flood.records)]
        sink.report(observation)
    }
}
