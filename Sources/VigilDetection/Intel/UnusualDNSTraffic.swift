import Foundation
import VigilIntel
import VigilLogs
import VigilModel

/// DNS that bypasses the VPC's resolver, from VPC Flow Logs:
/// - `DefenseEvasion:EC2/UnusualDNSResolver`: an instance exchanging DNS (port 53) with a public
///   resolver that is unusual — for the estate, or for the instance. Traffic to the Amazon-provided
///   resolver never appears in flow logs, so any public resolver is a choice; malware picks its own.
///   Each instance's resolvers are learned (its public DNS peers, at most eight, kept with the
///   detector's learned state). Once the instance has been watched for `learningDays`, a resolver
///   outside its history is unusual even if it is a well-known public one: it fires after
///   `newResolverExchanges` exchanges within an hour (`resolverExchanges` for a resolver that is not
///   well-known), and the resolver is then learned. Before that, a resolver that is neither
///   well-known (the built-in list) nor one the configuration names as usual fires after
///   `resolverExchanges` exchanges, and well-known ones are learned. Either way only while the
///   instance talks DNS to at most `resolverMaximumPeers` public addresses in the hour: an instance
///   that talks DNS to many addresses is a recursive resolver itself (querying authoritative
///   servers), not a client of an unusual one.
/// - `DefenseEvasion:EC2/UnusualDoHActivity`: HTTPS (TCP 443) to the address of a public
///   resolver or DNS-over-HTTPS endpoint (built-in lists: the anycast resolvers all serve DoH on 443).
/// - `DefenseEvasion:EC2/UnusualDoTActivity`: DNS over TLS (TCP 853) to any public address.
/// Repeats are reported once an hour per instance, remote address and port (``ReportThrottle``).
/// All three need an accepted, outbound record that is an exchange, not a probe (TCP records of a
/// few payload-less packets — scans — do not count); the instance is the ACTOR; findings aggregate
/// per instance and remote address.
public final class UnusualDNSTraffic: FlowLogDetector, LearningDetector {
    public struct Settings: Sendable, Codable, Equatable {
        /// Resolvers (addresses or CIDR blocks) this estate uses on purpose.
        public var usualResolvers: [String] = []
        /// Whether the built-in well-known public resolvers count as usual.
        public var wellKnownResolversAreUsual = true
        /// Exchanges with one resolver (records) before it counts.
        public var resolverExchanges = 3
        /// An instance talking DNS to more public addresses than this within an hour is a resolver (at most 8).
        public var resolverMaximumPeers = 4
        /// Days an instance is watched before a resolver outside its history is unusual.
        public var learningDays: Double = 7
        /// Exchanges within an hour with a well-known resolver an established instance never used.
        public var newResolverExchanges = 20
        /// Instances whose resolvers are remembered (the least recently seen go first).
        public var maxInstances = 20_000
        public var tableCapacity = 16_384
        public init() {}
    }

    /// One instance's DNS history: when it was first seen, and the public resolvers it used.
    struct ResolverHistory: Codable {
        var firstSeen: Int64
        var lastSeen: Int64
        /// Hashes of the resolvers' addresses, oldest first (at most eight).
        var resolvers: [UInt64] = []

        mutating func learn(_ resolver: UInt64) {
            guard !resolvers.contains(resolver) else { return }
            if resolvers.count >= 8 { resolvers.removeFirst() }
            resolvers.append(resolver)
        }
    }

    public let name = "unusual-dns-traffic"
    public let findingTypes = [FindingType.defenseEvasionEC2UnusualDNSResolver, FindingType.defenseEvasionEC2UnusualDoHActivity,
                               FindingType.defenseEvasionEC2UnusualDoTActivity]
    public let interest = FlowInterest(destinationPorts: [53, 443, 853], direction: .outbound, acceptedOnly: true)
    private let intel: IntelScope
    private let settings: Settings
    private let usual: IPRangeSet<Bool>
    /// One observation per instance, remote address and kind an hour.
    private var throttle = ReportThrottle(interval: 3600)
    /// Per instance: the public addresses it talked DNS to this hour, and how often.
    private var peers: KeyedWindows<DNSPeers>
    /// Per instance (by address): its age and resolvers.
    private(set) var histories: [UInt64: ResolverHistory] = [:]

    /// Up to eight peers with their exchange counts, inline (no allocation per instance).
    struct DNSPeers {
        var addresses: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        var exchanges: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        /// More peers than the limit: a resolver.
        var many = false

        /// Counts an exchange with `remote`; returns the exchanges with it so far, or `nil` once
        /// the instance has more than `limit` peers.
        mutating func exchange(with remote: UInt64, limit: Int) -> Int? {
            if many { return nil }
            let n = count
            let found: Int? = withUnsafeBytes(of: &addresses) { raw in
                let a = raw.bindMemory(to: UInt64.self)
                return (0..<n).first { a[$0] == remote }
            }
            return withUnsafeMutableBytes(of: &exchanges) { raw -> Int? in
                let e = raw.bindMemory(to: UInt16.self)
                if let i = found {
                    e[i] &+= e[i] == .max ? 0 : 1
                    return Int(e[i])
                }
                if n >= min(limit, 8) {
                    many = true
                    return nil
                }
                withUnsafeMutableBytes(of: &addresses) { $0.bindMemory(to: UInt64.self)[n] = remote }
                e[n] = 1
                count = n + 1
                return 1
            }
        }
    }

    /// Over fixed lists (one account's analysis, or a test's).
    public convenience init(intel: ThreatIntelligence, settings: Settings = Settings()) {
        self.init(intel: IntelScope(shared: intel), settings: settings)
    }

    public init(intel: IntelScope, settings: Settings = Settings()) {
        self.intel = intel
        self.settings = settings
        peers = KeyedWindows(window: 3600, capacity: settings.tableCapacity, fresh: { DNSPeers() })
        usual = IPRangeSet(settings.usualResolvers.compactMap { IPPrefix($0).map { (prefix: $0, value: true) } }, merge: { a, _ in a })
    }

    public func inspect(_ record: inout FlowRecord, source: LogSource, into sink: FindingSink) {
        guard let dport = record.dstPort, dport == 53 || dport == 443 || dport == 853, record.action == .accept,
              let proto = record.ipProtocol, proto == .tcp || proto == .udp, record.logStatus == .ok,
              let src = record.packetSource, let dst = record.packetDestination, !dst.isPrivate,
              record.outbound == true else { return }
        // A lone SYN (a scan, or a refused connection) is not an exchange with a resolver.
        if proto == .tcp && NetworkBehaviour.isProbeLike(packets: record.packets ?? 0, bytes: record.bytes ?? 0) { return }
        let time = record.end ?? 0
        let instance = src.low ^ src.high
        if histories[instance] == nil {
            if histories.count >= settings.maxInstances { retireOldest() }
            histories[instance] = ResolverHistory(firstSeen: time, lastSeen: time)
        }
        switch dport {
        case 53:
            if usual.contains(dst) { return }
            let resolver = dst.low ^ dst.high
            var history = histories[instance]!
            history.lastSeen = max(history.lastSeen, time)
            history.firstSeen = min(history.firstSeen, time)
            defer { histories[instance] = history }
            if history.resolvers.contains(resolver) { return }
            let wellKnown = settings.wellKnownResolversAreUsual && intel.hasNetworks && intel.isListed(dst)
                && intel.match(dst).contains(where: { $0.list.category == .publicResolver })
            let established = time - history.firstSeen >= Int64(settings.learningDays * 86_400)
            if wellKnown && !established {
                history.learn(resolver)
                return
            }
            let limit = settings.resolverMaximumPeers
            let exchanges = peers.update(instance, at: time) { $0.exchange(with: resolver, limit: limit) }
            let needed = wellKnown ? settings.newResolverExchanges : settings.resolverExchanges
            guard exchanges == needed else { return }
            if established {
                history.learn(resolver)
                let days = Int((Double(time - history.firstSeen) / 86_400).rounded(.down))
                report(findingTypes[0], record, source, sink, title: "is communicating with a DNS resolver it has not used before",
                       description: "exchanged DNS traffic (port 53) with %@\(wellKnown ? ", a public resolver" : "") it had not used in \(days) days of history"
                           + " (it resolved through \(history.resolvers.count > 1 ? "\(history.resolvers.count - 1) other resolver(s) and " : "")the VPC's resolver).")
            } else {
                report(findingTypes[0], record, source, sink, title: "is communicating with an unusual public DNS resolver",
                       description: "exchanged DNS traffic (port 53) with %@, which is neither the VPC's resolver nor a well-known or configured public resolver.")
            }
        case 443:
            guard proto == .tcp, intel.hasNetworks, intel.isListed(dst),
                  intel.match(dst).contains(where: { $0.list.category == .doh || $0.list.category == .publicResolver }) else { return }
            report(findingTypes[1], record, source, sink, title: "is performing DNS over HTTPS",
                   description: "connected to %@, a DNS-over-HTTPS endpoint: DNS this way escapes the VPC resolver, its logs and its firewall.")
        default:
            guard proto == .tcp else { return }
            report(findingTypes[2], record, source, sink, title: "is performing DNS over TLS",
                   description: "connected to %@ on port 853 (DNS over TLS): DNS this way escapes the VPC resolver, its logs and its firewall.")
        }
    }

    private func report(_ type: FindingType, _ record: FlowRecord, _ source: LogSource, _ sink: FindingSink, title: String, description: String) {
        guard let src = record.packetSource, let dst = record.packetDestination, let end = record.end,
              throttle.shouldReport(mixKey(src.low ^ src.high, dst.low ^ dst.high, UInt64(record.dstPort ?? 0)), at: end),
              let flow = FlowContext(record, source: source) else { return }
        sink.report(flow.observation(type, role: .actor, title: "\(flow.resourceKey) \(title) (\(flow.remote)).",
                                     description: "\(flow.resourceKey) " + description.replacingOccurrences(of: "%@", with: flow.remote.description)))
    }

    /// Drops the tenth of the instances seen longest ago.
    private func retireOldest() {
        let cut = histories.values.map(\.lastSeen).sorted()[histories.count / 10]
        histories = histories.filter { $0.value.lastSeen > cut }
    }

    private struct SavedState: Codable {
        var version = 1
        var histories: [UInt64: ResolverHistory]
    }

    /// Saves the instances' resolver histories (those not seen for 90 days of event time are dropped).
    public func saveState() throws -> Data {
        let newest = histories.values.map(\.lastSeen).max() ?? 0
        histories = histories.filter { $0.value.lastSeen >= newest - 90 * 86_400 }
        return try JSONEncoder().encode(SavedState(histories: histories))
    }

    public func restoreState(_ data: Data) throws {
        histories = try decodeState(SavedState.self, from: data, version: 1).histories
    }
}
