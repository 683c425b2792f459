import Foundation
import Testing
@testable import VigilAPI
import VigilModel
import VigilStore
import VigilSimulation
import VigilTesting

/// Criteria answered by SQL give exactly what the same criteria give evaluated on each finding's
/// JSON, and stay fast on a large store.
@Suite struct FindingSelectionTests {
    static let types = ["Recon:EC2/Portscan", "Backdoor:EC2/Spambot", "Discovery:IAMUser/AnomalousBehavior", "Policy:S3/BucketPublicAccessGranted"]

    /// `count` findings with varied types, severities, times, resources and archive flags.
    static func findings(_ count: Int, seed: UInt64 = 4) -> [Finding] {
        var random = SplitMix64(state: seed)
        return (0..<count).map { i in
            let first = Timestamp(secondsSinceEpoch: 1_700_000_000 + Int64(random.below(90 * 86_400)))
            let last = first.adding(seconds: Int64(random.below(86_400)))
            var f = StoreAndCriteriaTests.finding(String(format: "f%06d", i), type: types[random.below(types.count)],
                                                  severity: [2.0, 5.0, 8.0, 9.0][random.below(4)], count: 1 + random.below(5),
                                                  first: first.iso8601, last: last.iso8601)
            f.service?.resourceRole = random.below(2) == 0 ? "ACTOR" : "TARGET"
            if random.below(4) == 0 { f.service?.resourceRole = nil }
            switch random.below(3) {
            case 0: f.resource = Resource(accessKeyDetails: AccessKeyDetails(accessKeyId: "AKIA\(random.below(20))", userName: "u"), resourceType: "AccessKey")
            case 1: f.resource = Resource(instanceDetails: InstanceDetails(instanceId: "i-\(random.below(30))"), resourceType: "Instance")
            default: f.resource = Resource(resourceType: "S3Bucket")
            }
            return f
        }
    }

    static func api(_ findings: [Finding], store kind: TestStore = .sqlite) throws -> (GuardDutyAPI, DetectorRecord, () -> Void) {
        let (store, _, remove) = try kind.make()
        try store.merge(findings)
        try store.setArchived(true, ids: findings.enumerated().filter { $0.offset % 7 == 0 }.map(\.element.id), accountId: "123456789012")
        let detector = DetectorRecord(id: "d", accountId: "123456789012", region: "us-east-1", status: .enabled,
                                      findingPublishingFrequency: "SIX_HOURS", createdAt: "", updatedAt: "")
        try store.createDetector(detector)
        return (GuardDutyAPI(store: store, verifier: SigV4Verifier(credentials: [])), detector, remove)
    }

    static func list(_ api: GuardDutyAPI, _ detector: DetectorRecord, _ body: [String: Any]) throws -> [String] {
        var ids: [String] = [], token: String?
        repeat {
            var request = body
            request["maxResults"] = 50
            if let token { request["nextToken"] = token }
            let response = try api.listFindings(detector, request)
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any]
            ids += object["findingIds"] as! [String]
            token = object["nextToken"] as? String
        } while token != nil
        return ids
    }

    @Test(arguments: TestStore.allCases) func sqlAnswersEqualJSONAnswers(_ kind: TestStore) throws {
        let all = Self.findings(600)
        let (api, detector, remove) = try Self.api(all, store: kind)
        defer { remove() }
        let stored = try api.store.findings(accountId: "123456789012", region: "us-east-1")
        let cases: [[String: Any]] = [
            [:],
            ["severity": ["gte": 7]],
            ["severity": ["gt": 2, "lt": 9], "service.archived": ["eq": ["false"]]],
            ["type": ["eq": ["Recon:EC2/Portscan", "Backdoor:EC2/Spambot"]]],
            ["type": ["matches": ["*IAMUser*"]]],
            ["type": ["notMatches": ["Recon:*"]], "severity": ["neq": ["5"]]],
            ["resource.instanceDetails.instanceId": ["neq": ["i-3"]]],
            ["resource.accessKeyDetails.accessKeyId": ["equals": ["AKIA4", "AKIA5"]]],
            ["updatedAt": ["greaterThanOrEqual": 1_703_000_000_000, "lessThan": 1_705_000_000_000]],
            ["service.archived": ["equals": ["true"]], "resource.resourceType": ["eq": ["Instance"]]],
            ["service.eventLastSeen": ["gt": 1_706_000_000_000]],
            // Attributes without a column: SQLite's JSON functions.
            ["service.resourceRole": ["eq": ["TARGET"]]],
            ["service.resourceRole": ["neq": ["TARGET"]], "severity": ["gte": 5]],
            ["service.count": ["gte": 3]],
            ["service.count": ["eq": ["2", "4"]]],
            ["service.resourceRole": ["matches": ["AC*"]]],
            ["service.resourceRole": ["notMatches": ["AC*"]]],
            ["service.eventFirstSeen": ["lt": 1_703_000_000_000]],
            ["resource.accessKeyDetails.userName": ["equals": ["u"]], "service.archived": ["eq": ["false"]]],
        ]
        for criterion in cases {
            let body: [String: Any] = ["findingCriteria": ["criterion": criterion]]
            let criteria = try FindingCriteria(json: body["findingCriteria"])
            #expect(criteria.split(into: FindingSelection(accounts: [], region: "")).residual.isEmpty, "\(criterion)")
            var expected = stored.map { ($0, JSONTree(finding: $0)) }.filter { criteria.matches($0.1) }
            try GuardDutyAPI.sort(&expected, nil)
            #expect(try Self.list(api, detector, body) == expected.map(\.0.id), "\(criterion)")
            // Sorted by severity, ascending: SQL and JSON agree too.
            let sort: [String: Any] = ["attributeName": "severity", "orderBy": "ASC"]
            try GuardDutyAPI.sort(&expected, sort)
            #expect(try Self.list(api, detector, body.merging(["sortCriteria": sort]) { a, _ in a }) == expected.map(\.0.id))
            // Statistics: SQL counts equal counts over the matching findings.
            let stats = try api.statistics(detector, ["findingCriteria": ["criterion": criterion], "findingStatisticTypes": ["COUNT_BY_SEVERITY"], "groupBy": "RESOURCE", "maxResults": 100])
            let object = try JSONSerialization.jsonObject(with: Data(stats.body)) as! [String: Any]
            let statistics = object["findingStatistics"] as! [String: Any]
            let bySeverity = statistics["countBySeverity"] as! [String: Int]
            #expect(bySeverity == Dictionary(expected.map { (String($0.0.severity), 1) }, uniquingKeysWith: +))
            let groups = statistics["groupedByResource"] as! [[String: Any]]
            #expect(groups.map { $0["totalFindings"] as! Int }.reduce(0, +) == expected.count)
        }
        // A path through a list is evaluated on each finding's JSON, after the SQL part.
        let listPath: [String: Any] = ["findingCriteria": ["criterion": [
            "resource.instanceDetails.networkInterfaces.privateIpAddress": ["neq": ["10.0.0.1"]], "severity": ["gte": 8]]]]
        let criteria = try FindingCriteria(json: listPath["findingCriteria"])
        #expect(!criteria.split(into: FindingSelection(accounts: [], region: "")).residual.isEmpty)
        #expect(try Self.list(api, detector, listPath).count == stored.filter { $0.severity >= 8 }.count)
    }
}
