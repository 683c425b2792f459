import Foundation
import Testing
import VigilModel
import VigilPipeline
import VigilPostgres
import VigilStore
import VigilTesting

/// The shard leases of a cluster on PostgreSQL (a throw-away cluster): fair shares, surplus
/// released to a joining node, expired leases taken over, and commits under a lost lease refused.
@Suite struct ShardLeaseTests {
    static func store() throws -> PostgresFindingStore {
        try PostgresFindingStore(location: try PostgresLocation(try ThrowawayPostgres.shared().newDatabase()))
    }

    @Test func nodesShareTheShardsFairlyAndALostLeaseFencesItsFormerHolderOff() throws {
        let store = try Self.store()
        try store.joinCluster(node: "a")
        let alone = try store.balanceShards(node: "a", ttl: 30)
        #expect(alone.held.count == ShardSet.count && alone.surplus.isEmpty && alone.liveNodes == 1)
        // B joins: nothing is free, so A gives up what is beyond its share, and B takes it.
        try store.joinCluster(node: "b")
        #expect(try store.balanceShards(node: "b", ttl: 30).held.isEmpty)
        let crowded = try store.balanceShards(node: "a", ttl: 30)
        #expect(crowded.liveNodes == 2 && crowded.surplus.count == ShardSet.count / 2)
        try store.releaseShards(node: "a", crowded.surplus)
        let b = try store.balanceShards(node: "b", ttl: 1)
        #expect(b.held.count == ShardSet.count / 2 && Set(b.held.map(\.shard)) == Set(crowded.surplus))
        // A commit under a lease A gave up is refused, and writes nothing.
        let finding = Finding(accountId: "123456789012", arn: "arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f1",
                              createdAt: "2026-11-30T10:00:00.000Z", description: "d", id: "f1", partition: "aws", region: "us-east-1",
                              resource: Resource(instanceDetails: InstanceDetails(instanceId: "i-1"), resourceType: "Instance"),
                              service: Service(archived: false, count: 1, detectorId: "d", eventFirstSeen: "2026-11-30T10:00:00.000Z",
                                               eventLastSeen: "2026-11-30T10:00:00.000Z", resourceRole: "ACTOR", serviceName: "guardduty"),
                              severity: 5, title: "t", type: "Recon:EC2/Portscan", updatedAt: "2026-11-30T10:00:00.000Z")
        #expect(throws: LeaseLost.self) {
            try store.commit([finding], analysed: [AnalysedFile(path: "x", size: 1, modified: 1)], usage: [], archive: [], publication: nil,
                             learned: [:], cluster: ClusterCommit(node: "a", leases: crowded.held))
        }
        #expect(try store.checkpoint(path: "x") == nil)
        let kept = crowded.held.filter { !crowded.surplus.contains($0.shard) }
        try store.commit([finding], analysed: [AnalysedFile(path: "x", size: 1, modified: 1)], usage: [], archive: [], publication: nil,
                         learned: [:], cluster: ClusterCommit(node: "a", leases: kept))
        #expect(try store.checkpoint(path: "x")?.size == 1)
        // B stops renewing: once its leases run out, A (alone alive) takes every shard, under new
        // tokens; B's commits are refused from then on.
        Thread.sleep(forTimeInterval: 1.2)
        let after = try store.balanceShards(node: "a", ttl: 1)
        #expect(after.held.count == ShardSet.count && after.liveNodes == 1)
        #expect(throws: LeaseLost.self) {
            try store.commit([], analysed: [AnalysedFile(path: "y", size: 1, modified: 1)], usage: [], archive: [], publication: nil,
                             learned: [:], cluster: ClusterCommit(node: "b", leases: b.held))
        }
        // A process started again under A's name fences off the one before it.
        try store.joinCluster(node: "a")
        #expect(throws: LeaseLost.self) {
            try store.commit([], analysed: [AnalysedFile(path: "z", size: 1, modified: 1)], usage: [], archive: [], publication: nil,
                             learned: [:], cluster: ClusterCommit(node: "a", leases: after.held))
        }
        try store.leaveCluster(node: "a")
        #expect(try store.shardHolders().allSatisfy { $0.node == nil })
    }
}

/// Two cluster nodes — two pipelines over one PostgreSQL store, each holding half the shards —
/// given the same inputs find exactly what one pipeline finds alone: each reads the inputs of its
/// shards, hands the other's records over, and analyses what was handed to it.
@Suite struct ClusterPipelineTests {
    static func event(account: String, minute: Int, login: Bool) -> String {
        let time = "2026-11-30T10:\(String(format: "%02d", minute)):00Z"
        if login {
            return #"{"eventVersion":"1.08","eventTime":"\#(time)","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"Mozilla/5.0","errorMessage":"Failed authentication","eventID":"\#(account)-login-\#(minute)","eventType":"AwsConsoleSignIn","recipientAccountId":"\#(account)","userIdentity":{"type":"IAMUser","accountId":"\#(account)","principalId":"AIDAEXAMPLE","userName":"admin"},"responseElements":{"ConsoleLogin":"Failure"}}"#
        }
        return #"{"eventVersion":"1.08","eventTime":"\#(time)","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.8","userAgent":"aws-cli/2.15.0","eventID":"\#(account)-root-\#(minute)","eventType":"AwsApiCall","recipientAccountId":"\#(account)","userIdentity":{"type":"Root","accountId":"\#(account)","principalId":"\#(account)","arn":"arn:aws:iam::\#(account):root"}}"#
    }

    /// Each account's own file, then a loose file with every account's records (read last).
    static func inputs(accounts: [String]) -> [LogInput] {
        var inputs = accounts.map { account in
            let lines = (0..<6).map { event(account: account, minute: $0, login: true) } + [event(account: account, minute: 1, login: false)]
            return LogInput(path: "AWSLogs/\(account)/CloudTrail/us-east-1/2026/11/30/\(account)_CloudTrail_us-east-1_20261130T1000Z_a.json",
                            bytes: Array(#"{"Records":[\#(lines.joined(separator: ","))]}"#.utf8))
        }
        let loose = accounts.flatMap { account in (6..<12).map { event(account: account, minute: $0, login: true) } }
        inputs.append(LogInput(path: "loose/trail.jsonl", bytes: Array(loose.joined(separator: "\n").utf8) + [0x0A]))
        return inputs
    }

    static func settings() -> FindingPipeline.Settings {
        var settings = FindingPipeline.Settings()
        settings.workers = 1
        settings.learnedStateInterval = 0
        return settings
    }

    @Test func twoNodesFindWhatOneFinds() throws {
        // Accounts in both halves of the shard range.
        let accounts = (1...40).map { String(format: "2109876540%02d", $0) }
        let first = accounts.filter { ShardSet.shard(of: AccountID($0)!) < 32 }.prefix(3)
        let second = accounts.filter { ShardSet.shard(of: AccountID($0)!) >= 32 }.prefix(3)
        let chosen = Array(first + second)
        #expect(chosen.count == 6)
        let inputs = Self.inputs(accounts: chosen)

        let alone = FindingPipeline(settings: Self.settings(), store: nil)
        alone.read(inputs)
        let expected = Dictionary(uniqueKeysWithValues: try alone.commit(analysed: [], usage: []).map { ($0.id, $0.service?.count ?? 0) })
        #expect(expected.count >= 12)  // a brute force and a root usage per account

        let store = try PostgresFindingStore(location: try PostgresLocation(try ThrowawayPostgres.shared().newDatabase()))
        try store.joinCluster(node: "a")
        try store.joinCluster(node: "b")
        let nodes = ["a", "b"].map { _ in FindingPipeline(settings: Self.settings(), store: store) }
        // Each node holds half of the shards (after one release, as a running cluster reaches it).
        let a = try store.balanceShards(node: "a", ttl: 60)
        try store.releaseShards(node: "a", a.surplus)
        let b = try store.balanceShards(node: "b", ttl: 60)
        nodes[0].cluster = ClusterCommit(node: "a", leases: a.held.filter { !a.surplus.contains($0.shard) })
        nodes[1].cluster = ClusterCommit(node: "b", leases: b.held)
        #expect(nodes[0].ownedShards!.bits & nodes[1].ownedShards!.bits == 0)
        #expect((nodes[0].ownedShards!.bits | nodes[1].ownedShards!.bits) == ShardSet.all.bits)
        for node in nodes {
            node.read(inputs.filter { node.holds(inputNamed: $0.path) })
            try node.commit(analysed: [], usage: [])
        }
        // The records handed over reach the other node, which analyses its shards' share of them once.
        // The loose file's holder hands each shard of the other node's accounts their records.
        let reader = try #require(nodes.first { $0.holds(inputNamed: "loose/trail.jsonl") })
        let otherShards = Set(chosen.map { ShardSet.shard(of: AccountID($0)!) }.filter { !reader.ownedShards!.contains($0) })
        let handedOver = try store.handovers(shards: .all, limit: 100)
        #expect(Set(handedOver.map(\.shard)) == otherShards && handedOver.count == otherShards.count)
        #expect(handedOver.allSatisfy { $0.path == "loose/trail.jsonl" })
        for node in nodes {
            node.read(handovers: try store.handovers(shards: node.ownedShards!, limit: 100))
            try node.commit(analysed: [], usage: [])
        }
        #expect(try store.handovers(shards: .all, limit: 100).isEmpty)
        var found: [String: Int] = [:]
        for account in chosen {
            for finding in try store.findings(accountId: account, region: "us-east-1") { found[finding.id] = finding.service?.count ?? 0 }
        }
        #expect(found == expected)
    }
}
