import Foundation
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

    private struct Entry {
        var latest: Observation
        var first: Timestamp
        var last: Timestamp
        var count: Int
        var severity: Double
        var eventIds: [String]
        var locations: [String]
    }

    private var entries: [String: Entry] = [:]
    private let partition: String
    /// (type, event ID) pairs already counted, so a duplicate delivery of an event never counts twice.
    private var countedEvents = RecentSet(capacity: 1 << 20)

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
        if let eventId = observation.eventId {
            var key = Array(observation.type.name.utf8)
            key.append(0)
            key += eventId.utf8
            if !countedEvents.insert(key.withUnsafeBytes { ByteHash.fnv1a($0) }) {
                duplicateObservations += 1
                return
            }
        }
        let id = FindingAggregator.findingId(observation)
        let severity = observation.severity ?? observation.type.info?.defaultSeverity ?? 5.0
        if var entry = entries[id] {
            entry.count += 1
            if observation.time < entry.first { entry.first = observation.time }
            if observation.time >= entry.last {
                entry.last = observation.time
                // An anomaly finding keeps the profile comparison of its first sighting: later ones
                // compare against profiles that have begun to learn the intruder.
                let firstDetection = entry.latest.detection
                entry.latest = observation
                if let firstDetection { entry.latest.detection = firstDetection }
            }
            entry.severity = max(entry.severity, severity)
            if let eventId = observation.eventId, entry.eventIds.count < FindingAggregator.evidenceLimit, !entry.eventIds.contains(eventId) {
                entry.eventIds.append(eventId)
            }
            if let location = observation.evidenceLocation, entry.locations.count < FindingAggregator.evidenceLimit {
                entry.locations.append(location)
            }
            entries[id] = entry
        } else if entries.count >= capacity {
            overflowObservations += 1
        } else {
            entries[id] = Entry(latest: observation, first: observation.time, last: observation.time, count: 1,
                                severity: severity, eventIds: observation.eventId.map { [$0] } ?? [],
                                locations: observation.evidenceLocation.map { [$0] } ?? [])
        }
    }

    /// The findings so far, and forgets them: a continuous analysis stores each batch's findings
    /// and starts the next batch empty, while the event-ID window keeps refusing repeats.
    public func drain() -> [Finding] {
        let out = findings
        entries.removeAll(keepingCapacity: true)
        return out
    }

    /// The findings, most severe first, then by type and ID.
    public var findings: [Finding] {
        entries.map { makeFinding(id: $0.key, entry: $0.value) }.sorted {
            if $0.severity != $1.severity { return $0.severity > $1.severity }
            if $0.type != $1.type { return $0.type < $1.type }
            return $0.id < $1.id
        }
    }

    private func makeFinding(id: String, entry: Entry) -> Finding {
        let o = entry.latest
        let detectorId = StableIdentifier.detector(accountId: o.accountId, region: o.region)
        var info: [String: Any] = o.details
        if !entry.eventIds.isEmpty { info["triggeringEventIds"] = entry.eventIds }
        if !entry.locations.isEmpty { info["evidenceLocations"] = entry.locations }
        let infoText = JSONText.write(info)
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

    /// The finding ID for an observation: 32 hex digits of SHA-256 over its aggregation identity.
    public static func findingId(_ o: Observation) -> String {
        StableIdentifier.hex(["finding", o.accountId, o.region, o.type.name, o.identity.resource, o.identity.actor])
    }
}
