import Foundation
import VigilIntel
import VigilLogs
import VigilModel

/// Algorithmically generated domains in an instance's Resolver queries.
///
/// Every queried name's registrable label is scored by the domain-generation classifier
/// (``DGAModel``). One odd-looking name proves nothing — popular benign lists hold abbreviations
/// and brand names that look generated — but malware that uses a DGA queries many of them, most of
/// which do not exist. So both findings count per instance within a window of event time:
/// - `Trojan:EC2/DGADomainRequest.C!DNS`: the instance queried at least `classifiedDomains`
///   distinct registrable domains scoring at or above the model's alert threshold, making up at
///   least `classifiedShare` of the distinct domains it queried in the window; or at least
///   `suspiciousDomains` at or above the suspicious threshold, making up at least
///   `suspiciousShare` of them;
/// - `Trojan:EC2/DGADomainRequest.B`: the NXDOMAIN pattern — at least `nxdomainDomains` distinct
///   registrable domains answered NXDOMAIN, at least half of whose labels score at or above the
///   suspicious threshold or are too short to judge (short generated names are common and cannot
///   be told apart one by one; the NXDOMAIN answers of a DGA burst give them away) — or an
///   **NXDOMAIN burst** whatever the names look like: at least `burstDomains` distinct registrable
///   domains answered NXDOMAIN within `burstWindow` seconds, making up at least `burstShare` of the
///   distinct domains the instance asked for in that time, from an instance for which such bursts
///   are not routine (fewer than `routineBursts` earlier bursts, remembered with their hours). A
///   DGA cycles through candidates of which almost none exist, in a tight loop; its names may be
///   built from dictionary words, short, or hex and base32 strings, which no look-based classifier
///   judges across families — but the loop of failures is the same for all of them. A busy server
///   whose lookups partly fail (a mail server checking senders) asks for many names that do exist
///   between its failures, so its failures are a small share.
/// Names under private namespaces and AWS's own domains are never judged (``DomainParts``), nor
/// single-label names (browsers' intranet probes are random single labels).
public final class DomainGenerationRequests: DNSDetector {
    public struct Thresholds: Sendable, Codable, Equatable {
        public var window: Int64 = 3600
        public var classifiedDomains = 3
        public var classifiedShare = 0.05
        public var suspiciousDomains = 5
        public var suspiciousShare = 0.2
        public var nxdomainDomains = 10
        /// An NXDOMAIN burst: distinct failing registrable domains …
        public var burstDomains = 8
        /// … within this many seconds …
        public var burstWindow: Int64 = 120
        /// … making up at least this share of the distinct domains asked for in that time …
        public var burstShare = 0.5
        /// … from an instance that has had fewer such bursts before.
        public var routineBursts = 3
        public var instanceCapacity = 16_384
        public init() {}
    }

    public let name = "dga-domain-requests"
    public let findingTypes = [FindingType.trojanEC2DGADomainRequestCDNS, FindingType.trojanEC2DGADomainRequestB]
    private let model: DGAModel
    private let suffixes: PublicSuffixList?
    private let thresholds: Thresholds

    struct InstanceState {
        /// Distinct registrable domains queried (exact up to 512, then a floor).
        var domains = SmallHashSet(limit: 512)
        var classified = SmallHashSet(limit: 64)
        var suspicious = SmallHashSet(limit: 64)
        var nxdomains = SmallHashSet(limit: 256)
        var generatedNX = 0
        var firedClassified = false
        var firedNX = false
        /// The current burst window: when it began, the distinct domains asked and those that failed.
        var burstStart: Int64 = 0
        var burstAsked = SmallHashSet(limit: 64)
        var burstFailed = SmallHashSet(limit: 64)
        var burstCounted = false
    }

    /// Per instance: earlier NXDOMAIN bursts (decayed over a week), so an instance whose lookups fail in bursts by routine is not reported for it.
    private var burstHistory: [UInt64: (bursts: Float, hour: Int64)] = [:]

    private var instances: KeyedWindows<InstanceState>
    /// Scores of recently seen names, so a name queried again costs one hash.
    private var cache = ScoreCache()

    public init(model: DGAModel = .trained, publicSuffixes: PublicSuffixList?, thresholds: Thresholds = Thresholds()) {
        self.model = model
        self.suffixes = publicSuffixes
        self.thresholds = thresholds
        instances = KeyedWindows(window: thresholds.window, capacity: thresholds.instanceCapacity, fresh: { InstanceState() })
    }

    public func inspect(_ query: ResolverQuery, source: LogSource, into sink: FindingSink) {
        let nameHash = ByteHash.fnv1a(query.queryName.bytes)
        let entry: ScoreCache.Entry
        if let cached = cache[nameHash] {
            entry = cached
        } else {
            if let parts = DomainParts(query.queryName, suffixes: suffixes) {
                let score = model.score(label: parts.label)
                var registrable = parts.registrable
                let registrableHash = registrable.withUTF8 { ByteHash.fnv1a(UnsafeRawBufferPointer($0)) }
                entry = .init(registrable: registrableHash, score: score ?? -1, judged: true)
            } else {
                entry = .init(registrable: 0, score: 0, judged: false)
            }
            cache[nameHash] = entry
        }
        guard entry.judged else { return }
        let instanceKey = query.instanceId.isPresent ? ByteHash.fnv1a(query.instanceId.bytes)
            : query.sourceAddress.map { mixKey($0.low, $0.high) } ?? 0
        let nx = query.rcode.equals("NXDOMAIN")
        let time = query.queryTimestamp.millisecondsSinceEpoch / 1000
        let alert = entry.score >= model.alertThreshold
        let suspiciousOrShort = entry.score >= model.suspiciousThreshold || entry.score < 0
        let t = thresholds
        var burst: Int?
        let fire: (classified: Int?, nx: Int?) = instances.update(instanceKey, at: time) { state in
            state.domains.insert(entry.registrable)
            let distinct = Double(state.domains.count)
            var classified: Int?
            var nxCount: Int?
            var grew = false
            if alert, state.classified.insert(entry.registrable) { grew = true }
            if entry.score >= model.suspiciousThreshold, state.suspicious.insert(entry.registrable) { grew = true }
            if grew, !state.firedClassified {
                let alerts = state.classified.count, suspicious = state.suspicious.count
                if (alerts >= t.classifiedDomains && Double(alerts) >= t.classifiedShare * distinct)
                    || (suspicious >= t.suspiciousDomains && Double(suspicious) >= t.suspiciousShare * distinct) {
                    state.firedClassified = true
                    classified = max(alerts, suspicious)
                }
            }
            if nx, state.nxdomains.insert(entry.registrable) {
                if suspiciousOrShort { state.generatedNX += 1 }
                if !state.firedNX, state.nxdomains.count >= t.nxdomainDomains, state.generatedNX * 2 >= state.nxdomains.count {
                    state.firedNX = true
                    nxCount = state.nxdomains.count
                }
            }
            // The burst window: distinct domains asked, and failed, within burstWindow seconds.
            if state.burstAsked.count == 0 || time &- state.burstStart >= t.burstWindow || time < state.burstStart {
                state.burstStart = time
                state.burstAsked = SmallHashSet(limit: 64)
                state.burstFailed = SmallHashSet(limit: 64)
                state.burstCounted = false
            }
            state.burstAsked.insert(entry.registrable)
            if nx, state.burstFailed.insert(entry.registrable), !state.burstCounted, state.burstFailed.count >= t.burstDomains,
               Double(state.burstFailed.count) >= t.burstShare * Double(state.burstAsked.count) {
                state.burstCounted = true
                burst = state.burstFailed.count
                // Asked only when a burst is counted, not for every query.
                if !state.firedNX && !isRoutine(instanceKey, hour: time / 3600) {
                    state.firedNX = true
                    nxCount = state.burstFailed.count
                }
            }
            return (classified, nxCount)
        }
        if burst != nil { noteBurst(instanceKey, hour: time / 3600) }
        if fire.classified == nil && fire.nx == nil { return }
        let dns = DNSContext(query, source: source, suffixes: suffixes)
        let minutes = thresholds.window / 60
        if let count = fire.classified {
            var observation = dns.observation(
                findingTypes[0], title: "\(dns.instance) is querying algorithmically generated domains.",
                description: "\(dns.instance) queried \(count) distinct domains within \(minutes) minutes whose names look machine-generated (the latest: \(dns.domain), score \(Double(entry.score).text(decimals: 2))). Malware uses domain-generation algorithms to find its command-and-control servers.",
                evidence: nil)
            observation.identity = .init(resource: dns.instance, actor: "dga")
            observation.details = ["dgaScore": Double(entry.score).text(decimals: 3), "generatedDomains": String(count)]
            sink.report(observation)
        }
        if let count = fire.nx {
            var observation = dns.observation(
                findingTypes[1], title: "\(dns.instance) is querying algorithmically generated domains that do not exist.",
                description: burst == count
                    ? "\(dns.instance) received NXDOMAIN for \(count) distinct domains within \(thresholds.burstWindow) seconds, most of what it asked for (the latest: \(dns.domain)): the loop of failures of malware cycling through a domain-generation algorithm."
                    : "\(dns.instance) received NXDOMAIN for \(count) distinct generated-looking domains within \(minutes) minutes (the latest: \(dns.domain)): the pattern of malware cycling through a domain-generation algorithm.",
                evidence: nil)
            observation.identity = .init(resource: dns.instance, actor: "dga-nxdomain")
            observation.details = ["nxdomainDomains": String(count)]
            sink.report(observation)
        }
    }

    /// Whether NXDOMAIN bursts are routine for the instance (``Thresholds/routineBursts`` earlier ones, decayed).
    private func isRoutine(_ instance: UInt64, hour: Int64) -> Bool {
        (burstHistory[instance].map { Self.decayed($0, to: hour) } ?? 0) >= Float(thresholds.routineBursts)
    }

    /// Counts a burst for the instance (bounded: 65,536 instances, cleared when full).
    private func noteBurst(_ instance: UInt64, hour: Int64) {
        if burstHistory.count >= 65_536 { burstHistory.removeAll(keepingCapacity: true) }
        let previous = burstHistory[instance].map { Self.decayed($0, to: hour) } ?? 0
        burstHistory[instance] = (previous + 1, hour)
    }

    /// Earlier bursts, halved every week of event time.
    static func decayed(_ entry: (bursts: Float, hour: Int64), to hour: Int64) -> Float {
        entry.bursts * Float(exp2(-Double(max(0, hour - entry.hour)) / 168))
    }

    /// A direct-mapped cache of name scores (4,096 entries).
    struct ScoreCache {
        struct Entry {
            var registrable: UInt64
            /// The label's score; -1 when too short to judge.
            var score: Float
            /// Whether the name is judged at all.
            var judged: Bool
        }
        // Allocated on first use: an engine that never sees a DNS record holds none of it.
        private var keys: [UInt64] = []
        private var values: [Entry] = []

        subscript(hash: UInt64) -> Entry? {
            get { !keys.isEmpty && keys[Int(hash & 4095)] == hash ? values[Int(hash & 4095)] : nil }
            set {
                guard let newValue else { return }
                if keys.isEmpty {
                    keys = [UInt64](repeating: 0, count: 4096)
                    values = [Entry](repeating: Entry(registrable: 0, score: 0, judged: false), count: 4096)
                }
                keys[Int(hash & 4095)] = hash
                values[Int(hash & 4095)] = newValue
            }
        }
    }
}
