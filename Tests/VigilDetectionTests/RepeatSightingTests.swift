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

    @Test func repeatsCountLikeFullReports() {
        let aggregator = FindingAggregator()
        let identity = Observation.Identity(resource: "root", actor: "a")
        func repeatSighting(_ seconds: Int64, _ id: String) -> Bool {
            var bytes = Array(id.utf8)
            return bytes.withUnsafeMutableBufferPointer { buffer in
                aggregator.reportRepeat(.policyIAMUserRootCredentialUsage, accountId: "111122223333", region: "us-east-1", identity: identity,
                                        time: Timestamp(secondsSinceEpoch: seconds), eventId: RawText(start: UnsafePointer(buffer.baseAddress), count: buffer.count),
                                        location: { "f:\(seconds)" })
            }
        }
        #expect(!repeatSighting(100, "e0"))  // nothing held yet
        aggregator.report(Self.observation(at: 100, eventId: "e1"))
        #expect(repeatSighting(200, "e2"))
        #expect(repeatSighting(50, "e3"))
        #expect(repeatSighting(300, "e2"))  // the same event again: not counted
        let finding = aggregator.findings[0]
        #expect(finding.service?.count == 3)
        #expect(finding.service?.eventFirstSeen == Timestamp(secondsSinceEpoch: 50).iso8601)
        #expect(finding.service?.eventLastSeen == Timestamp(secondsSinceEpoch: 200).iso8601)
        #expect(finding.service?.additionalInfo?.value?.contains("\"e3\"") == true)
        #expect(aggregator.duplicateObservations == 1)
    }
}
