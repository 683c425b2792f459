import VigilLogs
import VigilModel

/// Scans, sweeps, brute force and spam seen in VPC Flow Logs: `Recon:EC2/Portscan`,
/// `Impact:EC2/PortSweep`, `UnauthorizedAccess:EC2/SSHBruteForce`, `UnauthorizedAccess:EC2/RDPBruteForce`,
/// `Impact:EC2/WinRMBruteForce` and `Backdoor:EC2/Spambot`.
///
/// Each rule counts distinct values per key in a window of event time (``WindowedDistinctCounter``):
/// - Portscan: an instance reaching `portscanPorts` distinct ports of one remote host (ACTOR);
/// - PortSweep: an instance reaching one port on `portSweepHosts` distinct hosts (ACTOR);
/// - brute force: `bruteForceAttempts` connections (distinct client ports) to SSH (22), RDP (3389)
///   or WinRM (5985/5986) between the same two hosts, counting short exchanges only (≤ 50 packets,
///   ≤ 20 kB a record) — the instance is the TARGET when it is the
///   server, the ACTOR when it is the client (WinRM: outbound only, as GuardDuty defines it).
/// - Spambot: an instance opening SMTP (25) connections to `spamHosts` distinct hosts (ACTOR).
/// Only the client's packets are counted (records toward the service port), so replies never count
/// twice. Scans and sweeps count probe-like records only — rejected, or at most 10 packets with no
/// payload (≤ 80 bytes a packet: SYNs and their retransmissions) — so ordinary traffic never
/// touches their tables and the per-record cost stays a few comparisons. Internal (east-west) traffic counts too: lateral scanning is scanning.
public final class NetworkBehaviour: FlowLogDetector {
    public struct Thresholds: Sendable, Codable, Equatable {
        public var window: Int64 = 300
        public var portscanPorts = 20
        public var portSweepHosts = 25
        public var bruteForceAttempts = 20
        public var spamHosts = 10
        /// Ports whose servers are SSH, RDP and WinRM (flow logs cannot see the protocol, so a
        /// server on another port must be named here).
        public var sshPorts: Set<UInt16> = [22]
        public var rdpPorts: Set<UInt16> = [3389]
        public var winrmPorts: Set<UInt16> = [5985, 5986]
        public var tableCapacity = 16_384
        public init() {}
    }

    public let name = "network-behaviour"
    public let findingTypes = [FindingType.reconEC2Portscan, FindingType.impactEC2PortSweep, FindingType.unauthorizedAccessEC2SSHBruteForce,
                               FindingType.unauthorizedAccessEC2RDPBruteForce, FindingType.impactEC2WinRMBruteForce, FindingType.backdoorEC2Spambot]
    private var portscan: WindowedDistinctCounter
    private var sweep: WindowedDistinctCounter
    private var bruteForce: WindowedDistinctCounter
    private var spam: WindowedDistinctCounter
    private let thresholds: Thresholds
    /// One bit per port: set for the remote-access ports brute force is counted on.
    private let servicePorts: [UInt64]

    public init(thresholds: Thresholds = Thresholds()) {
        self.thresholds = thresholds
        var bits = [UInt64](repeating: 0, count: 1024)
        for port in thresholds.sshPorts.union(thresholds.rdpPorts).union(thresholds.winrmPorts) {
            bits[Int(port >> 6)] |= 1 << UInt64(port & 63)
        }
        servicePorts = bits
        portscan = WindowedDistinctCounter(window: thresholds.window, threshold: thresholds.portscanPorts, capacity: thresholds.tableCapacity)
        sweep = WindowedDistinctCounter(window: thresholds.window, threshold: thresholds.portSweepHosts, capacity: thresholds.tableCapacity)
        bruteForce = WindowedDistinctCounter(window: thresholds.window, threshold: thresholds.bruteForceAttempts, capacity: thresholds.tableCapacity)
        spam = WindowedDistinctCounter(window: thresholds.window, threshold: thresholds.spamHosts, capacity: thresholds.tableCapacity)
    }

    /// Memory held by the rule tables, in bytes (fixed at creation).
    public var footprint: Int { portscan.footprint + sweep.footprint + bruteForce.footprint + spam.footprint }
    /// The most memory the tables can grow to, whatever the traffic.
    public var maximumFootprint: Int { portscan.maximumFootprint + sweep.maximumFootprint + bruteForce.maximumFootprint + spam.maximumFootprint }

    public func inspect(_ record: inout FlowRecord, source: LogSource, into sink: FindingSink) {
        guard record.logStatus == .ok, let proto = record.ipProtocol, proto == .tcp || proto == .udp,
              let src = record.packetSource, let dst = record.packetDestination,
              let sport = record.srcPort, let dport = record.dstPort, let end = record.end,
              let outbound = record.outbound else { return }
        // Brute force: the client's packets toward a remote-access service.
        if proto == .tcp, sport >= 1024, (servicePorts[Int(dport >> 6)] >> UInt64(dport & 63)) & 1 == 1,
           Self.isShortSession(packets: record.packets ?? 0, bytes: record.bytes ?? 0), let service = bruteForceService(dport) {
            let key = mixKey(src.low ^ src.high, dst.low ^ dst.high, UInt64(dport))
            if let attempts = bruteForce.add(key: key, value: UInt32(sport), time: end) {
                report(service: service, outbound: outbound, attempts: attempts, record: record, source: source, into: sink)
            }
        }
        // Spam: the instance's own SMTP connections out to many mail servers.
        if proto == .tcp, outbound, dport == 25, sport >= 1024 {
            let local = src.low ^ src.high
            if let hosts = spam.add(key: mixKey(local, 25, 3), value: UInt32(truncatingIfNeeded: dst.low ^ (dst.low >> 32) ^ dst.high), time: end),
               let flow = FlowContext(record, source: source, allowPrivateRemote: true) {
                var observation = flow.observation(
                    FindingType.backdoorEC2Spambot, role: .actor, title: "\(flow.resourceKey) is sending mail to many hosts (port 25).",
                    description: "\(flow.resourceKey) opened SMTP connections to \(hosts) distinct hosts within \(spam.window / 60) minutes; instances rarely deliver mail directly, spam bots do.")
                observation.identity = .init(resource: flow.resourceKey, actor: "port:25")
                sink.report(observation)
            }
        }
        // Scans and sweeps: the instance's own probe-like packets out toward service ports.
        guard outbound, sport >= 1024 || dport < 1024,
              record.action == .reject || Self.isProbeLike(packets: record.packets ?? 0, bytes: record.bytes ?? 0) else { return }
        let local = src.low ^ src.high
        if let ports = portscan.add(key: mixKey(local, dst.low ^ dst.high, 1), value: UInt32(dport) | UInt32(proto.rawValue) << 16, time: end) {
            reportScan(FindingType.reconEC2Portscan, count: ports, record: record, source: source, into: sink,
                       title: "Outbound port scan from the instance", what: "\(ports) ports of one host")
        }
        if let hosts = sweep.add(key: mixKey(local, UInt64(dport), UInt64(proto.rawValue) << 16 | 2), value: UInt32(truncatingIfNeeded: dst.low ^ (dst.low >> 32) ^ dst.high), time: end) {
            reportScan(FindingType.impactEC2PortSweep, count: hosts, record: record, source: source, into: sink,
                       title: "Port sweep from the instance", what: "port \(dport) on \(hosts) hosts")
        }
    }

    /// A login attempt's share of a window: a short exchange (brute-force tools open a connection,
    /// try a password or a few, and close). Long sessions — real administration, file copies —
    /// are not attempts.
    @inline(__always)
    static func isShortSession(packets: UInt64, bytes: UInt64) -> Bool {
        packets > 0 && packets <= 50 && bytes <= 20_000
    }

    /// A few packets carrying no payload: connection attempts (SYNs and their retransmissions).
    @inline(__always)
    static func isProbeLike(packets: UInt64, bytes: UInt64) -> Bool {
        packets > 0 && packets <= 10 && bytes <= packets &* 80
    }

    func bruteForceService(_ port: UInt16) -> String? {
        if thresholds.sshPorts.contains(port) { return "SSH" }
        if thresholds.rdpPorts.contains(port) { return "RDP" }
        if thresholds.winrmPorts.contains(port) { return "WinRM" }
        return nil
    }

    private func report(service: String, outbound: Bool, attempts: Int, record: FlowRecord, source: LogSource, into sink: FindingSink) {
        if service == "WinRM" && !outbound { return }
        guard let flow = FlowContext(record, source: source, allowPrivateRemote: true) else { return }
        let type: FindingType = switch service {
        case "WinRM": .impactEC2WinRMBruteForce
        case "RDP": .unauthorizedAccessEC2RDPBruteForce
        default: .unauthorizedAccessEC2SSHBruteForce
        }
        let instance = flow.resourceKey
        // GuardDuty: Low when the instance is attacked, High when it attacks.
        sink.report(flow.observation(
            type, severity: outbound ? 8.0 : 2.0, role: outbound ? ResourceRole.actor : .target,
            title: outbound ? "\(instance) is performing \(service) brute force attacks against \(flow.remote)."
                : "\(flow.remote) is performing \(service) brute force attacks against \(instance).",
            description: "\(attempts) \(service) connection attempts within \(bruteForce.window / 60) minutes "
                + (outbound ? "from \(instance) to \(flow.remote)." : "from \(flow.remote) to \(instance)."),
            evidence: nil))
    }

    private func reportScan(_ type: FindingType, count: Int, record: FlowRecord, source: LogSource, into sink: FindingSink,
                            title: String, what: String) {
        guard let flow = FlowContext(record, source: source, allowPrivateRemote: true) else { return }
        var observation = flow.observation(
            type, role: .actor, title: "\(title) \(flow.resourceKey).",
            description: "\(flow.resourceKey) reached \(what) within \(portscan.window / 60) minutes (last: \(flow.remote), port \(flow.remotePort.map(String.init) ?? "?")).")
        if type == FindingType.impactEC2PortSweep {
            // A sweep is about the port, not one remote host.
            observation.identity = .init(resource: flow.resourceKey, actor: "port:\(flow.remotePort.map(String.init) ?? "?")")
        }
        sink.report(observation)
    }
}
