import VigilIntel
import VigilLogs
import VigilModel

/// Routes records to detectors and collects what they observe.
///
/// CloudTrail events go only to the detectors that declared their `eventName` (plus those that
/// read every event); the lookup hashes the name's bytes, so routing allocates nothing. Events are
/// de-duplicated on `eventID` (CloudTrail may deliver an event twice) over a window of at least
/// the last 16Ki events, in at most 512 KiB that stay in cache; the aggregator also refuses a repeated event
/// ID per finding type over a far longer window, so a late duplicate never inflates a finding.
/// CloudTrail events from, and flow records to or from, an address on a trusted list reach no
/// detector at all, as in GuardDuty (DNS queries are not affected). Each detector reports through a
/// sink that passes on only the finding types it declared (``undeclaredObservations`` counts the
/// rest). Not thread-safe: an engine runs on one thread.
public final class DetectionEngine: LogRecordHandler {
    public let sink: FindingSink
    /// The lists in force for the current record (the router sets the account's own).
    public let intel: IntelScope
    /// Whether any trusted list may apply (fixed lists without trusted entries skip the test).
    private let checksTrusted: Bool
    /// Every CloudTrail route, holding them; the per-event loops reach them through ``cloudTrailEveryEvent`` and ``router``.
    private let cloudTrailRoutes: [CloudTrailRoute]
    private let cloudTrailEveryEvent: UnmanagedRun<CloudTrailRoute>
    private let router: EventNameRouter
    /// Every flow route, holding them; the per-record loop reaches them through ``flowRun``.
    private let flowRoutes: [FlowRoute]
    private let flowRun: UnmanagedRun<FlowRoute>
    /// Every DNS route, holding them; the per-query loop reaches them through ``dnsRun``.
    private let dnsRoutes: [DNSRoute]
    private let dnsRun: UnmanagedRun<DNSRoute>
    /// Every detector's sink.
    private let sinks: [DeclaredTypesSink]
    private let recentEventIds = RecentSet(capacity: 1 << 14)

    /// CloudTrail events dropped as repeats of an `eventID` already seen.
    public private(set) var duplicateEvents: UInt64 = 0
    /// Records not analysed because an address in them is trusted.
    public private(set) var trustedRecords: UInt64 = 0
    /// Observations dropped because their detector did not declare their type.
    public var undeclaredObservations: UInt64 { sinks.reduce(0) { $0 + $1.refused } }

    /// - Parameter listsMayChange: the account's own lists may come and go (``IntelScope/own``), so
    ///   the trusted test is kept even while no trusted list exists.
    public init(detectors: [any Detector], sink: FindingSink, intel: IntelScope = IntelScope(), listsMayChange: Bool = false) {
        self.sink = sink
        self.intel = intel
        self.checksTrusted = listsMayChange || intel.hasTrusted
        var everyEvent: [CloudTrailRoute] = []
        var routed: [(String, CloudTrailRoute)] = []
        var cloudTrailRoutes: [CloudTrailRoute] = []
        var flows: [FlowRoute] = []
        var dns: [DNSRoute] = []
        var sinks: [DeclaredTypesSink] = []
        for detector in detectors {
            let checked = DeclaredTypesSink(declared: detector.findingTypes, next: sink)
            sinks.append(checked)
            if let d = detector as? any CloudTrailDetector {
                let route = CloudTrailRoute(detector: d, sink: checked)
                cloudTrailRoutes.append(route)
                if let names = d.eventNames {
                    for name in names.sorted() { routed.append((name, route)) }
                } else {
                    everyEvent.append(route)
                }
            }
            if let d = detector as? any FlowLogDetector { flows.append(FlowRoute(detector: d, sink: checked)) }
            if let d = detector as? any DNSDetector { dns.append(DNSRoute(detector: d, sink: checked)) }
        }
        self.sinks = sinks
        self.cloudTrailRoutes = cloudTrailRoutes
        self.cloudTrailEveryEvent = UnmanagedRun(everyEvent)
        self.router = EventNameRouter(routed)
        self.flowRoutes = flows
        self.flowRun = UnmanagedRun(flows)
        self.dnsRoutes = dns
        self.dnsRun = UnmanagedRun(dns)
    }

    /// Hands `record` to the route of its source.
    public func handle<Record: LogRecord>(_ record: inout Record, source: LogSource) {
        if Record.ifIs(&record, FlowRecord.self, { handle(flow: &$0, source: source) }) != nil { return }
        if Record.ifIs(&record, CloudTrailEvent.self, { handle(cloudTrail: $0, source: source) }) != nil { return }
        if Record.ifIs(&record, ResolverQuery.self, { handle(resolver: $0, source: source) }) != nil { return }
    }

    public func handle(cloudTrail event: CloudTrailEvent, source: LogSource) {
        let id = event.eventID
        if id.isPresent, !recentEventIds.insert(id.bytes) {
            duplicateEvents += 1
            return
        }
        if checksTrusted, let address = event.sourceAddress, intel.isTrusted(address) {
            trustedRecords += 1
            return
        }
        let routed = router.routes(for: event.eventName)
        if routed.isEmpty && cloudTrailEveryEvent.isEmpty { return }
        let context = CloudTrailContext(event: event, source: source)
        cloudTrailEveryEvent.forEach { $0.inspect(event, context) }
        routed.forEach { $0.inspect(event, context) }
    }

    public func handle(flow record: inout FlowRecord, source: LogSource) {
        // Every flow rule needs a logged exchange between two addresses.
        guard record.logStatus == .ok, let src = record.packetSource, let dst = record.packetDestination else { return }
        if checksTrusted, intel.isTrusted(src) || intel.isTrusted(dst) {
            trustedRecords += 1
            return
        }
        record.outbound = FlowContext.isOutbound(record, source: src, destination: dst)
        let port = record.dstPort ?? 0, packets = record.packets ?? 0, accepted = record.action == .accept
        let direction: UInt8 = record.outbound.map { $0 ? 1 : 2 } ?? 0
        flowRun.forEach(passing: &record) { route, record in
            if route.wants(port: port, packets: packets, accepted: accepted, direction: direction) { route.inspect(&record, source: source) }
        }
    }

    deinit {
        flowRun.deallocate()
        dnsRun.deallocate()
        cloudTrailEveryEvent.deallocate()
        router.deallocate()
    }

    public func handle(resolver query: ResolverQuery, source: LogSource) {
        dnsRun.forEach { $0.inspect(query, source: source) }
    }
}

/// A detector's way to the aggregator: passes on only observations of the finding types the
/// detector declared, and counts the rest — a detector raising a type it did not declare is a bug,
/// and its observation must not become a finding of a type nobody reviewed.
final class DeclaredTypesSink: FindingSink {
    let declared: Set<FindingType>
    let next: FindingSink
    private(set) var refused: UInt64 = 0

    init(declared: [FindingType], next: FindingSink) {
        self.declared = Set(declared)
        self.next = next
    }

    func report(_ observation: Observation) {
        guard declared.contains(observation.type) else {
            refused += 1
            return
        }
        next.report(observation)
    }

    func reportRepeat(_ type: FindingType, accountId: String, region: String, identity: Observation.Identity,
                      time: Timestamp, eventId: RawText, location: () -> String) -> RepeatHandle? {
        guard declared.contains(type) else { return nil }
        return next.reportRepeat(type, accountId: accountId, region: region, identity: identity, time: time, eventId: eventId, location: location)
    }

    /// A handle comes from ``reportRepeat``, which checked its type.
    func countRepeat(_ handle: RepeatHandle, time: Timestamp, eventId: RawText, location: () -> String) -> Bool {
        next.countRepeat(handle, time: time, eventId: eventId, location: location)
    }
}
