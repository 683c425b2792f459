import Foundation
import Testing
@testable import VigilAPI
import VigilDetection
import VigilModel
import VigilStore
import VigilTesting

/// Both stores (SQLite and PostgreSQL) (merging, archiving, checkpoints, retention, reopening) and FindingCriteria.
@Suite struct StoreAndCriteriaTests {
    static func finding(_ id: String, type: String = "Recon:EC2/Portscan", severity: Double = 5, count: Int = 1,
                        first: String = "2023-11-14T22:00:00.000Z", last: String = "2023-11-14T22:05:00.000Z") -> Finding {
        Finding(accountId: "123456789012", arn: "arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/\(id)",
                createdAt: first, description: "d", id: id, partition: "aws", region: "us-east-1",
                resource: Resource(instanceDetails: InstanceDetails(instanceId: "i-\(id)"), resourceType: "Instance"),
                service: Service(archived: false, count: count, detectorId: "d", eventFirstSeen: first, eventLastSeen: last,
                                 resourceRole: "ACTOR", serviceName: "guardduty"),
                severity: severity, title: "t", type: type, updatedAt: last)
    }

    static func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vigil-store-\(UUID().uuidString)").path
    }

    @Test(arguments: TestStore.allCases) func mergingAddsCountsAndSurvivesReopening(_ kind: TestStore) throws {
        let (store, reopen, remove) = try kind.make()
        defer { remove() }
        try store.commit([Self.finding("a", count: 2)], analysed: [AnalysedFile(path: "/logs/1.gz", size: 10, modified: 1)],
                         usage: [UsageRecord(accountId: "123456789012", dataSource: "FLOW_LOGS", records: 5, bytes: 500)])
        try store.commit([], analysed: [], usage: [UsageRecord(accountId: "123456789012", dataSource: "FLOW_LOGS", records: 1, bytes: 100)])
        try store.setArchived(true, ids: ["a"], accountId: "123456789012")
        try store.merge([Self.finding("a", severity: 8, count: 3, first: "2023-11-14T21:00:00.000Z", last: "2023-11-14T23:00:00.000Z")])
        let reopened = try reopen()
        let a = try #require(try reopened.findings(ids: ["a"], accountId: "123456789012").first)
        #expect(a.service?.count == 5)
        #expect(a.service?.eventFirstSeen == "2023-11-14T21:00:00.000Z")
        #expect(a.service?.eventLastSeen == "2023-11-14T23:00:00.000Z")
        #expect(a.severity == 8)
        #expect(a.service?.archived == true)  // archiving survives an update
        #expect(try reopened.checkpoint(path: "/logs/1.gz") == AnalysedFile(path: "/logs/1.gz", size: 10, modified: 1))
        #expect(try reopened.usage(accountId: "123456789012") == [UsageRecord(accountId: "123456789012", dataSource: "FLOW_LOGS", records: 6, bytes: 600)])
        #expect(try reopened.checkpoint(path: "/logs/1.gz")?.size != 11)  // grown: not analysed at that size
        #expect(try reopened.findings(ids: ["a"], accountId: "999999999999").isEmpty)  // other accounts see nothing
        #expect(try reopened.deleteFindings(storedBefore: Date().addingTimeInterval(-60)) == 0)
        #expect(try reopened.deleteFindings(storedBefore: Date().addingTimeInterval(60)) == 1)
    }

    /// The same finding twice in one commit merges twice, as in two commits (a file of findings
    /// holding one ID twice, a batch of sightings).
    @Test(arguments: TestStore.allCases) func aFindingTwiceInOneCommitMergesTwice(_ kind: TestStore) throws {
        let (store, _, remove) = try kind.make()
        defer { remove() }
        try store.merge([Self.finding("b", count: 1)])
        let publication = Publication(targets: ["webhook:0"], now: Date()) { "event \($0.id)" }
        try store.commit([Self.finding("a", count: 2), Self.finding("b", count: 4), Self.finding("a", severity: 8, count: 3, last: "2023-11-14T23:00:00.000Z")],
                         analysed: [], usage: [], archive: [], publication: publication, learned: [:])
        let a = try #require(try store.findings(ids: ["a"], accountId: "123456789012").first)
        #expect(a.service?.count == 5 && a.severity == 8 && a.service?.eventLastSeen == "2023-11-14T23:00:00.000Z")
        #expect(try store.findings(ids: ["b"], accountId: "123456789012").first?.service?.count == 5)
        #expect(try store.outboxCount() == 1)  // "a" was new once; "b" was stored before
        // Both wait for their update interval: "a" seen again in the commit, "b" seen again.
        let later = Publication(targets: ["webhook:0"], now: Date().addingTimeInterval(3601), envelope: publication.envelope)
        #expect(try store.enqueueDueUpdates(later) { _, _ in 3600 } == 2)
    }

    @Test(arguments: TestStore.allCases) func outboxPublishesNewFindingsAndUpdatesWhenDue(_ kind: TestStore) throws {
        let (store, _, remove) = try kind.make()
        defer { remove() }
        let publication = Publication(targets: ["file:/tmp/a.jsonl", "webhook:0"], now: Date()) { "event \($0.id)" }
        try store.commit([Self.finding("new"), Self.finding("quiet")], analysed: [], usage: [], archive: ["quiet"], publication: publication, learned: [:])
        #expect(try store.outboxCount() == 2)  // "new" to both targets; the suppressed one to none
        #expect(try store.findings(ids: ["quiet"], accountId: "123456789012").first?.service?.archived == true)
        try store.commit([Self.finding("new")], analysed: [], usage: [], archive: [], publication: publication, learned: [:])
        #expect(try store.outboxCount() == 2)  // an update waits for its interval
        #expect(try store.enqueueDueUpdates(publication) { _, _ in 3600 } == 0)
        let later = Publication(targets: publication.targets, now: Date().addingTimeInterval(3601), envelope: publication.envelope)
        #expect(try store.enqueueDueUpdates(later) { _, _ in 3600 } == 1)
        #expect(try store.enqueueDueUpdates(later) { _, _ in 3600 } == 0)  // once
        let due = try store.dueDeliveries(now: Date(), limit: 10)
        #expect(due.count == 2 && due.allSatisfy { $0.body == "event new" })
        try store.deliveryFailed(due[0].id, nextAttempt: Date().addingTimeInterval(60))
        try store.delivered(due[1].id)
        #expect(try store.dueDeliveries(now: Date(), limit: 10).isEmpty)
        #expect(try store.dueDeliveries(now: Date().addingTimeInterval(3700), limit: 10).map(\.attempts).sorted() == [0, 0, 1])
    }

    @Test func criteriaConditions() throws {
        let tree = JSONTree(finding: Self.finding("x", type: "Trojan:EC2/DNSDataExfiltration", severity: 8))
        func matches(_ criterion: [String: Any]) throws -> Bool {
            try FindingCriteria(json: ["criterion": criterion]).matches(tree)
        }
        #expect(try matches(["severity": ["gte": 8]]))
        #expect(try !matches(["severity": ["greaterThan": 8]]))
        #expect(try matches(["type": ["matches": ["Trojan:*"]], "service.archived": ["eq": ["false"]]]))
        #expect(try !matches(["type": ["notMatches": ["*Exfil*"]]]))
        #expect(try matches(["resource.instanceDetails.instanceId": ["equals": ["i-x"]]]))
        #expect(try matches(["updatedAt": ["lessThan": 1_700_000_000_000]]))  // 2023-11-14 22:05 is 1,699,999,500,000 ms
        #expect(try !matches(["updatedAt": ["greaterThanOrEqual": 1_700_000_000_000]]))
        #expect(try !matches(["no.such.attribute": ["eq": ["1"]]]))
        #expect(throws: FindingCriteria.Invalid.self) { try FindingCriteria(json: ["criterion": ["severity": ["gt": "high"]]]) }
        #expect(throws: FindingCriteria.Invalid.self) { try FindingCriteria(json: ["criterion": ["severity": ["near": [1]]]]) }
        #expect(FindingCriteria.wildcard("a?c*", "abcdef") && !FindingCriteria.wildcard("a?c", "abcd"))
    }
}
