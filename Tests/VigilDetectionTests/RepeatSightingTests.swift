import Foundation
import Testing
@testable import VigilDetection
import VigilLogs
import VigilModel

/// A repeat of a finding already held counts without a new observation: count, last time and
/// evidence move, a repeated event ID counts once, an unknown identity is left to a full report.
@Suite struct RepeatSightingTests {
    static func observation(at seconds: Int64, eventId: String) -> Observation {
        Observation(type: .policyIAMUserRootCredentialUsage, accountId: "111122223333", region: "us-east-1",
                    time: Timestamp(secondsSinceEpoch: seconds), resource: Resource(resourceType: "AccessKey"),
                    title: "t", description: "d", identity: .init(resource: "root", actor: "a"), eventId: eventId, evidenceLocation: "f:1")
    }

    static func withEventId<T>(_ id: String, _ body: (RawText) -> T) -> T {
        var bytes = Array(id.utf8)
        return bytes.withUnsafeMutableBufferPointer { body(RawText(start: UnsafePointer($0.baseAddress), count: $0.count)) }
    }

    @Test func repeatsCountLikeFullReports() {
        let aggregator = FindingAggregator()
        let identity = Observation.Identity(resource: "root", actor: "a")
        func repeatSighting(_ seconds: Int64, _ id: String) -> RepeatHandle? {
            Self.withEventId(id) {
                aggregator.reportRepeat(.policyIAMUserRootCredentialUsage, accountId: "111122223333", region: "us-east-1", identity: identity,
                                        time: Timestamp(secondsSinceEpoch: seconds), eventId: $0, location: { "f:\(seconds)" })
            }
        }
        #expect(repeatSighting(100, "e0") == nil)  // nothing held yet
        aggregator.report(Self.observation(at: 100, eventId: "e1"))
        #expect(repeatSighting(200, "e2") != nil)
        #expect(repeatSighting(50, "e3") != nil)
        #expect(repeatSighting(300, "e2") != nil)  // the same event again: not counted
        let finding = aggregator.findings[0]
        #expect(finding.service?.count == 3)
        #expect(finding.service?.eventFirstSeen == Timestamp(secondsSinceEpoch: 50).iso8601)
        #expect(finding.service?.eventLastSeen == Timestamp(secondsSinceEpoch: 200).iso8601)
        #expect(finding.service?.additionalInfo?.value?.contains("\"e3\"") == true)
        #expect(aggregator.duplicateObservations == 1)
    }

    /// A handle counts repeats as the identity does, refuses an event counted already, and names
    /// nothing once the aggregator has handed its findings on.
    @Test func handlesCountUntilTheFindingsAreDrained() throws {
        let aggregator = FindingAggregator()
        let identity = Observation.Identity(resource: "root", actor: "a")
        aggregator.report(Self.observation(at: 100, eventId: "e1"))
        let handle = try #require(Self.withEventId("e2") {
            aggregator.reportRepeat(.policyIAMUserRootCredentialUsage, accountId: "111122223333", region: "us-east-1", identity: identity,
                                    time: Timestamp(secondsSinceEpoch: 200), eventId: $0, location: { "f:200" })
        })
        func count(_ seconds: Int64, _ id: String) -> Bool {
            Self.withEventId(id) { aggregator.countRepeat(handle, time: Timestamp(secondsSinceEpoch: seconds), eventId: $0, location: { "f:\(seconds)" }) }
        }
        #expect(count(400, "e3"))
        #expect(count(500, "e3"))  // held, but the same event: not counted again
        #expect(count(20, "e1"))  // the first sighting's event: not counted again
        let drained = aggregator.drain()
        #expect(drained.count == 1)
        #expect(drained[0].service?.count == 3)
        #expect(drained[0].service?.eventFirstSeen == Timestamp(secondsSinceEpoch: 100).iso8601)
        #expect(drained[0].service?.eventLastSeen == Timestamp(secondsSinceEpoch: 400).iso8601)
        #expect(aggregator.duplicateObservations == 2)
        // The next batch: the handle names nothing, even once a new finding takes its place.
        #expect(!count(600, "e4"))
        aggregator.report(Self.observation(at: 700, eventId: "e5"))
        #expect(!count(800, "e6"))
        #expect(aggregator.findings[0].service?.count == 1)
    }
}
