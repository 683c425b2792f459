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
    private let flowDetectors: [any FlowLogDetector]
    /// The flow detectors and their routes in fixed storage, so the per-record loop needs no
    /// closure (a closure would copy the record) and no array bounds checks.
    private let flowTable: UnsafeMutableBufferPointer<any FlowLogDetector>
    private let flowSinks: UnsafeMutableBufferPointer<DeclaredTypesSink>
    private let flowRoutes: UnsafeMutableBufferPointer<FlowRoute>
    private let dnsDetectors: [(detector: any DNSDetector, sink: DeclaredTypesSink)]
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
        var flows: [(any FlowLogDetector, DeclaredTypesSink)] = []
        var dns: [(detector: any DNSDetector, sink: DeclaredTypesSink)] = []
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
            if let d = detector as? any FlowLogDetector { flows.append((d, checked)) }
            if let d = detector as? any DNSDetector { dns.append((d, checked)) }
        }
        self.sinks = sinks
        self.cloudTrailRoutes = cloudTrailRoutes
        self.cloudTrailEveryEvent = UnmanagedRun(everyEvent)
        self.router = EventNameRouter(routed)
        self.flowDetectors = flows.map(\.0)
        flowTable = .allocate(capacity: flows.count)
        _ = flowTable.initialize(from: flows.map(\.0))
        flowSinks = .allocate(capacity: flows.count)
        _ = flowSinks.initialize(from: flows.map(\.1))
        flowRoutes = .allocate(capacity: flows.count)
        _ = flowRoutes.initialize(from: flows.map { FlowRoute($0.0.interest) })
        self.dnsDetectors = dns
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
        for i in 0..<flowRoutes.count where flowRoutes[i].wants(port: port, packets: packets, accepted: accepted, direction: direction) {
            flowTable[i].inspect(&record, source: source, into: flowSinks[i])
        }
    }

    deinit {
        flowTable.deinitialize().deallocate()
        flowSinks.deinitialize().deallocate()
        flowRoutes.deinitialize().deallocate()
        cloudTrailEveryEvent.deallocate()
        router.deallocate()
    }

    public func handle(resolver query: ResolverQuery, source: LogSource) {
        for (detector, sink) in dnsDetectors { detector.inspect(query, source: source, into: sink) }
    }
}

/// A ``FlowInterest`` in the form the engine tests per record.
struct FlowRoute {
    /// One bit per destination port, or empty for any port.
    let ports: [UInt64]
    let minimumPackets: UInt64
    /// 0 any, 1 outbound, 2 inbound.
    let direction: UInt8
    let acceptedOnly: Bool

    init(_ interest: FlowInterest) {
        if let set = interest.destinationPorts {
            var bits = [UInt64](repeating: 0, count: 1024)
            for port in set { bits[Int(port >> 6)] |= 1 << UInt64(port & 63) }
            ports = bits
        } else {
            ports = []
        }
        minimumPackets = interest.minimumPackets
        direction = switch interest.direction {
        case .any: 0
        case .outbound: 1
        case .inbound: 2
        }
        acceptedOnly = interest.acceptedOnly
    }

    @inline(__always)
    func wants(port: UInt16, packets: UInt64, accepted: Bool, direction recordDirection: UInt8) -> Bool {
        if packets < minimumPackets || (acceptedOnly && !accepted) || (direction != 0 && direction != recordDirection) { return false }
        return ports.isEmpty || (ports[Int(port >> 6)] >> UInt64(port & 63)) & 1 == 1
    }
}

/// Maps event names to the routes that read them, looked up by the bytes of the name.
struct EventNameRouter {
    private struct Slot {
        var hash: UInt64
        var name: [UInt8]
        var routes: [CloudTrailRoute]
        var run = UnmanagedRun<CloudTrailRoute>([])
    }

    private var slots: [Slot?]
    private let mask: Int

    /// The routes must outlive the router (the engine holds them).
    init(_ routes: [(String, CloudTrailRoute)]) {
        var size = 16
        while size < routes.count * 4 { size *= 2 }
        slots = Array(repeating: nil, count: size)
        mask = size - 1
        for (name, route) in routes {
            let bytes = Array(name.utf8)
            let hash = bytes.withUnsafeBytes { ByteHash.fnv1a($0) }
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                if slots[i] == nil {
                    slots[i] = Slot(hash: hash, name: bytes, routes: [route])
                    break
                }
                if slots[i]!.hash == hash && slots[i]!.name == bytes {
                    if !slots[i]!.routes.contains(where: { $0 === route }) { slots[i]!.routes.append(route) }
                    break
                }
                i = (i + 1) & mask
            }
        }
        for i in slots.indices where slots[i] != nil { slots[i]!.run = UnmanagedRun(slots[i]!.routes) }
    }

    func routes(for name: RawText) -> UnmanagedRun<CloudTrailRoute> {
        guard name.isPresent else { return UnmanagedRun() }
        let hash = ByteHash.fnv1a(name.bytes)
        var i = Int(truncatingIfNeeded: hash) & mask
        while let slot = slots[i] {
            if slot.hash == hash && slot.name.count == name.count
                && slot.name.withUnsafeBytes({ $0.elementsEqual(name.bytes) }) {
                return slot.run
            }
            i = (i + 1) & mask
        }
        return UnmanagedRun()
    }

    func deallocate() {
        for slot in slots { slot?.run.deallocate() }
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
