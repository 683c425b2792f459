import Foundation
import VigilLogs
import VigilModel

/// Turns observations into findings: one finding per aggregation identity (account, region,
/// type, resource, actor), whose `count` grows and whose `eventLastSeen` and `updatedAt` move
/// with each repeat.
///
/// Finding IDs are derived from the identity (SHA-256), so replaying the same logs gives the same
/// IDs and updates findings instead of duplicating them. Times are event times, so the output
/// depends only on the logs.
public final class FindingAggregator: FindingSink {
    /// Triggering event IDs and locations kept per finding.
    public static let evidenceLimit = 10

    /// An observation's aggregation identity, hashed by the dictionary's own keyed hash (attacker-
    /// chosen names cannot collide two identities into one finding). The finding ID (SHA-256 of
    /// the same parts) is computed once, when the identity is first seen.
    private struct Key: Hashable {
        let accountId: String
        let region: String
        let type: FindingType
        let identity: Observation.Identity

        init(_ o: Observation) {
            accountId = o.accountId
            region = o.region
            type = o.type
            identity = o.identity
        }

        init(accountId: String, region: String, type: FindingType, identity: Observation.Identity) {
            self.accountId = accountId
            self.region = region
            self.type = type
            self.identity = identity
        }
    }

    private struct Entry {
        let id: String
        var latest: Observation
        var first: Timestamp
        var last: Timestamp
        var count: Int
        var severity: Double
        var eventIds: [String]
        var locations: [String]

        /// Counts a repeat of this identity: its count, times and evidence (the ID and location
        /// are made only while fewer than ``FindingAggregator/evidenceLimit`` are kept).
        mutating func countRepeat(time: Timestamp, eventId: () -> String?, location: () -> String?) {
            count += 1
            if time < first { first = time }
            if time > last { last = time }
            if eventIds.count < FindingAggregator.evidenceLimit, let id = eventId(), !eventIds.contains(id) {
                eventIds.append(id)
            }
            if locations.count < FindingAggregator.evidenceLimit, let location = location() { locations.append(location) }
        }

        /// Counts a repeat of this identity with its observation, which becomes the latest if it is.
        mutating func update(with observation: Observation, severity reported: Double) {
            if observation.time >= last {
                // An anomaly finding keeps the profile comparison of its first sighting: later ones
                // compare against profiles that have begun to learn the intruder.
                let firstDetection = latest.detection
                latest = observation
                if let firstDetection { latest.detection = firstDetection }
            }
            severity = max(severity, reported)
            countRepeat(time: observation.time, eventId: { observation.eventId }, location: { observation.evidenceLocation })
        }
    }

    /// The findings held, in the order first seen; ``positions`` finds each identity's. (Entries
    /// are large values: a dictionary of them moved each one whenever it grew.)
    private var entries: [Entry] = []
    private var positions: [Key: Int] = [:]
    /// The batch: moves on each ``drain()``, so that handles on drained findings count nothing.
    private var generation: UInt64 = 0
    /// Detector IDs by region, with the account they were made for.
    private var detectorIds: [String: (accountId: String, id: String)] = [:]
    private let partition: String
    /// (type, event ID) pairs already counted, so a duplicate delivery of an event never counts twice.
    private let countedEvents = RecentSet(capacity: 1 << 20)

    /// Completes resources when findings are built (the instance inventory), so that what CloudTrail
    /// tells about an instance reaches findings whichever log was read first.
    public var resourceCompleter: ((inout Resource) -> Void)?

    /// Observations dropped because their event was already counted for that finding type.
    public private(set) var duplicateObservations: UInt64 = 0

    /// Most distinct findings held; observations of further new identities are dropped and
    /// counted (``overflowObservations``), so no input can grow memory without bound. Repeats of
    /// findings already held are always counted.
    public let capacity: Int
    public private(set) var overflowObservations: UInt64 = 0

    public init(partition: String = "aws", capacity: Int = 100_000) {
        self.partition = partition
        self.capacity = capacity
    }

    /// Number of distinct findings.
    public var count: Int { entries.count }

    public func report(_ observation: Observation) {
        if var eventId = observation.eventId {
            let fresh = eventId.withUTF8 { countedEvents.insert(UnsafeRawBufferPointer($0), salt: Self.typeHash(observation.type)) }
            if !fresh {
                duplicateObservations += 1
                return
            }
        }
        let key = Key(observation)
        let severity = observation.severity ?? observation.type.info?.defaultSeverity ?? 5.0
        if let position = positions[key] {
            entries[position].update(with: observation, severity: severity)
        } else if entries.count >= capacity {
            overflowObservations += 1
        } else {
            positions[key] = entries.count
            entries.append(Entry(id: FindingAggregator.findingId(observation), latest: observation, first: observation.time,
                                 last: observation.time, count: 1, severity: severity, eventIds: observation.eventId.map { [$0] } ?? [],
                                 locations: observation.evidenceLocation.map { [$0] } ?? []))
        }
    }

    public func reportRepeat(_ type: FindingType, accountId: String, region: String, identity: Observation.Identity,
                             time: Timestamp, eventId: RawText, location: () -> String) -> RepeatHandle? {
        guard let position = positions[Key(accountId: accountId, region: region, type: type, identity: identity)] else { return nil }
        let typeHash = Self.typeHash(type)
        let handle = RepeatHandle(generation: generation, position: position, typeHash: typeHash)
        countRepeat(at: position, typeHash: typeHash, time: time, eventId: eventId, location: location)
        return handle
    }

    public func countRepeat(_ handle: RepeatHandle, time: Timestamp, eventId: RawText, location: () -> String) -> Bool {
        guard handle.generation == generation, handle.position < entries.count else { return false }
        countRepeat(at: handle.position, typeHash: handle.typeHash, time: time, eventId: eventId, location: location)
        return true
    }

    /// The type's part of ``countedEventKey(typeHash:eventId:)``.
    private static func typeHash(_ type: FindingType) -> UInt64 {
        var name = type.name
        return name.withUTF8 { WordHash.hash(UnsafeRawBufferPointer($0)) }
    }

    private func countRepeat(at position: Int, typeHash: UInt64, time: Timestamp, eventId: RawText, location: () -> String) {
        if eventId.isPresent {
            if !countedEvents.insert(eventId.bytes, salt: typeHash) {
                duplicateObservations += 1
                return
            }
        }
        // One in-place access: reading the entry's fields one by one through the array would copy
        // the whole entry (its observation's strings retained and released) for each.
        entries[position].countRepeat(time: time, eventId: { eventId.string }, location: location)
    }

    /// The findings so far, in no particular order, and forgets them: a continuous analysis stores
    /// each batch's findings and starts the next batch empty, while the event-ID window keeps
    /// refusing repeats. (``AccountRouter/drain()`` orders what its accounts' aggregators drain.)
    public func drain() -> [Finding] {
        var out: [Finding] = []
        drain(into: &out)
        return out
    }

    /// As ``drain()``, appending the findings to `out`.
    public func drain(into out: inout [Finding]) {
        for entry in entries { out.append(makeFinding(entry: entry)) }
        generation &+= 1
        entries.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
    }

    /// The findings, in ``Finding/ordered(_:)`` order: most severe first, then by type and ID.
    public var findings: [Finding] {
        Finding.ordered(entries.map { makeFinding(entry: $0) })
    }

    private func makeFinding(entry: Entry) -> Finding {
        let id = entry.id
        let o = entry.latest
        let detectorId = detectorIdentifier(accountId: o.accountId, region: o.region)
        var lists: [String: [String]] = [:]
        if !entry.eventIds.isEmpty { lists["triggeringEventIds"] = entry.eventIds }
        if !entry.locations.isEmpty { lists["evidenceLocations"] = entry.locations }
        let infoText = JSONText.object(strings: o.details, lists: lists)
        let service = Service(
            action: o.action, evidence: o.evidence, archived: false, count: entry.count, detectorId: detectorId,
            eventFirstSeen: entry.first.iso8601, eventLastSeen: entry.last.iso8601, resourceRole: o.resourceRole?.rawValue,
            serviceName: "guardduty", additionalInfo: ServiceAdditionalInfo(value: infoText, type: "default"),
            detection: o.detection)
        var resource = o.resource
        resourceCompleter?(&resource)
        return Finding(
            accountId: o.accountId,
            arn: Finding.arn(partition: partition, region: o.region, accountId: o.accountId, detectorId: detectorId, findingId: id),
            createdAt: entry.first.iso8601, description: o.description, id: id, partition: partition,
            region: o.region, resource: resource, service: service, severity: entry.severity, title: o.title,
            type: o.type.name, updatedAt: entry.last.iso8601)
    }

    /// The detector ID of an account's region (SHA-256, once per region).
    private func detectorIdentifier(accountId: String, region: String) -> String {
        if let known = detectorIds[region], known.accountId == accountId { return known.id }
        let id = StableIdentifier.detector(accountId: accountId, region: region)
        detectorIds[region] = (accountId, id)
        return id
    }

    /// The finding ID for an observation: 32 hex digits of SHA-256 over its aggregation identity.
    public static func findingId(_ o: Observation) -> String {
        StableIdentifier.hex(["finding", o.accountId, o.region, o.type.name, o.identity.resource, o.identity.actor])
    }
}
