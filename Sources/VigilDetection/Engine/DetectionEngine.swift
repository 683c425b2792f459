import VigilLogs
import VigilModel

/// Routes records to detectors and collects what they observe.
///
/// CloudTrail events go only to the detectors that declared their `eventName` (plus those that
/// read every event); the lookup hashes the name's bytes, so routing allocates nothing. Events are
/// de-duplicated on `eventID` (CloudTrail may deliver an event twice) over a bounded window.
/// Not thread-safe: an engine runs on one thread.
public final class DetectionEngine: LogRecordHandler {
    public let sink: FindingSink
    private let cloudTrailEveryEvent: [any CloudTrailDetector]
    private let router: EventNameRouter
    private let flowDetectors: [any FlowLogDetector]
    private let dnsDetectors: [any DNSDetector]
    private var recentEventIds = RecentSet(capacity: 1 << 20)

    /// CloudTrail events dropped as repeats of an `eventID` already seen.
    public private(set) var duplicateEvents: UInt64 = 0

    public init(detectors: [any Detector], sink: FindingSink) {
        self.sink = sink
        var everyEvent: [any CloudTrailDetector] = []
        var routed: [(String, any CloudTrailDetector)] = []
        var flows: [any FlowLogDetector] = []
        var dns: [any DNSDetector] = []
        for detector in detectors {
            if let d = detector as? any CloudTrailDetector {
                if let names = d.eventNames {
                    for name in names.sorted() { routed.append((name, d)) }
                } else {
                    everyEvent.append(d)
                }
            }
            if let d = detector as? any FlowLogDetector { flows.append(d) }
            if let d = detector as? any DNSDetector { dns.append(d) }
        }
        self.cloudTrailEveryEvent = everyEvent
        self.router = EventNameRouter(routed)
        self.flowDetectors = flows
        self.dnsDetectors = dns
    }

    public func handle(cloudTrail event: CloudTrailEvent, source: LogSource) {
        let id = event.eventID
        if id.isPresent, !recentEventIds.insert(ByteHash.fnv1a(id.bytes)) {
            duplicateEvents += 1
            return
        }
        let routed = router.detectors(for: event.eventName)
        if routed.isEmpty && cloudTrailEveryEvent.isEmpty { return }
        let context = CloudTrailContext(event: event, source: source)
        for detector in cloudTrailEveryEvent { detector.inspect(event, context, into: sink) }
        for detector in routed { detector.inspect(event, context, into: sink) }
    }

    public func handle(flow record: inout FlowRecord, source: LogSource) {
        for detector in flowDetectors { detector.inspect(record, source: source, into: sink) }
    }

    public func handle(resolver query: ResolverQuery, source: LogSource) {
        for detector in dnsDetectors { detector.inspect(query, source: source, into: sink) }
    }
}

/// Maps event names to the detectors that read them, looked up by the bytes of the name.
struct EventNameRouter {
    private struct Slot {
        var hash: UInt64
        var name: [UInt8]
        var detectors: [any CloudTrailDetector]
    }

    private var slots: [Slot?]
    private let mask: Int

    init(_ routes: [(String, any CloudTrailDetector)]) {
        var size = 16
        while size < routes.count * 4 { size *= 2 }
        slots = Array(repeating: nil, count: size)
        mask = size - 1
        for (name, detector) in routes {
            let bytes = Array(name.utf8)
            let hash = bytes.withUnsafeBytes { ByteHash.fnv1a($0) }
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                if slots[i] == nil {
                    slots[i] = Slot(hash: hash, name: bytes, detectors: [detector])
                    break
                }
                if slots[i]!.hash == hash && slots[i]!.name == bytes {
                    if !slots[i]!.detectors.contains(where: { $0 === detector }) { slots[i]!.detectors.append(detector) }
                    break
                }
                i = (i + 1) & mask
            }
        }
    }

    func detectors(for name: RawText) -> [any CloudTrailDetector] {
        guard name.isPresent else { return [] }
        let hash = ByteHash.fnv1a(name.bytes)
        var i = Int(truncatingIfNeeded: hash) & mask
        while let slot = slots[i] {
            if slot.hash == hash && slot.name.count == name.count
                && slot.name.withUnsafeBytes({ $0.elementsEqual(name.bytes) }) {
                return slot.detectors
            }
            i = (i + 1) & mask
        }
        return []
    }
}

/// 64-bit FNV-1a over bytes: a fast, stable hash for keys read from logs.
public enum ByteHash {
    @inlinable
    public static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}

/// A set of the most recent `capacity` hashes: inserting past capacity forgets the oldest.
struct RecentSet {
    private var members: Set<UInt64>
    private var ring: [UInt64]
    private var next = 0
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        members = Set(minimumCapacity: 1024)
        ring = []
    }

    /// Inserts `value`; returns `false` if it was already present.
    mutating func insert(_ value: UInt64) -> Bool {
        guard members.insert(value).inserted else { return false }
        if ring.count < capacity {
            ring.append(value)
        } else {
            members.remove(ring[next])
            ring[next] = value
            next = (next + 1) % capacity
        }
        return true
    }
}
