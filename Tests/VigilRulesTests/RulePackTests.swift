import Foundation
import Testing
import VigilDetection
import VigilModel
import VigilTesting
@testable import VigilRules

/// Vigil's own rule pack: each rule fires on the real corpus events of its technique and stays
/// quiet on their near misses (errors, the benign variant, the other principal); correlations on
/// corpus events repeated over time.
@Suite struct RulePackTests {
    static let pack: RuleSet = {
        guard let folder = RuleSet.packFolder else { return RuleSet() }
        return RuleSet(paths: [folder])
    }()

    /// Corpus events by source: P = Panther's rule tests, S = StreamAlert's.
    nonisolated(unsafe) static let corpus: [String: [[String: Any]]] = {
        var events: [String: [[String: Any]]] = [:]
        events["P"] = (try? SharedData.corpus("corpora/panther_cloudtrail_tests.jsonl"))?.map { $0["event"] as? [String: Any] ?? [:] }
        events["S"] = (try? SharedData.corpus("corpora/streamalert_cloudtrail_tests.jsonl"))?.map { $0["event"] as? [String: Any] ?? [:] }
        return events
    }()

    /// The titles the pack raises over `events` (each given a unique ID and a readable time).
    static func titles(_ events: [[String: Any]]) throws -> Set<String> {
        Set(try DetectionHarness.findings(cloudTrail: DetectionHarness.scannable(events, idPrefix: "pack"), detectors: pack.makeDetectors())
            .compactMap(\.title))
    }

    @Test func thePackLoadsWhole() {
        #expect(Self.pack.errors.isEmpty, "\(Self.pack.problems)")
        #expect(Self.pack.problems.isEmpty, "\(Self.pack.problems)")
        #expect(Self.pack.rules.count >= 40)
        #expect(Self.pack.correlations.count == 10)
        // Every rule names its ATT&CK tactic, so its finding type has a GuardDuty threat purpose.
        for rule in Self.pack.standalone { #expect(!rule.tactics.isEmpty, "\(rule.title)") }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let rule: String
        let source: String
        let index: Int
        let fires: Bool
        var testDescription: String { "\(rule) \(fires ? "fires on" : "is quiet on") \(source)\(index)" }
    }

    static let cases: [Case] = [
        Case(rule: "AMI Shared Publicly", source: "P", index: 5, fires: true),
        Case(rule: "AMI Shared Publicly", source: "P", index: 6, fires: false),
        Case(rule: "AMI Shared Publicly", source: "P", index: 9, fires: false),
        Case(rule: "AMI Shared Publicly", source: "S", index: 50, fires: true),
        Case(rule: "AMI Shared Publicly", source: "S", index: 49, fires: false),
        Case(rule: "AMI Shared With Another Account", source: "P", index: 10, fires: true),
        Case(rule: "AMI Shared With Another Account", source: "P", index: 8, fires: false),
        Case(rule: "EBS Snapshot Shared Publicly", source: "P", index: 407, fires: true),
        Case(rule: "EBS Snapshot Shared Publicly", source: "P", index: 408, fires: false),
        Case(rule: "EBS Snapshot Shared Publicly", source: "P", index: 409, fires: false),
        Case(rule: "EBS Snapshot Shared Publicly", source: "S", index: 51, fires: true),
        Case(rule: "EBS Snapshot Shared With Another Account", source: "P", index: 410, fires: true),
        Case(rule: "EBS Snapshot Shared With Another Account", source: "P", index: 407, fires: false),
        Case(rule: "RDS Snapshot Shared Publicly", source: "S", index: 53, fires: true),
        Case(rule: "RDS Snapshot Shared Publicly", source: "S", index: 52, fires: false),
        Case(rule: "RDS Snapshot Shared With Another Account", source: "P", index: 306, fires: true),
        Case(rule: "RDS Snapshot Shared With Another Account", source: "P", index: 307, fires: false),
        Case(rule: "Attempt To Leave The Organization", source: "P", index: 22, fires: true),
        Case(rule: "VPC Flow Logs Deleted", source: "P", index: 442, fires: true),
        Case(rule: "VPC Flow Logs Deleted", source: "S", index: 9, fires: true),
        Case(rule: "Resolver Query Logging Removed", source: "P", index: 90, fires: true),
        Case(rule: "Access Key Created For Another User", source: "P", index: 189, fires: true),
        Case(rule: "Access Key Created For Another User", source: "P", index: 190, fires: true),
        Case(rule: "Access Key Created For Another User", source: "P", index: 188, fires: false),
        Case(rule: "Access Key Created For Another User", source: "P", index: 192, fires: false),
        Case(rule: "Console Password Set For Another User", source: "P", index: 30, fires: true),
        Case(rule: "Console Password Set For Another User", source: "P", index: 439, fires: false),
        Case(rule: "Console Password Set For Another User", source: "P", index: 441, fires: false),
        Case(rule: "Role Trust Policy Opened To Any Principal", source: "P", index: 164, fires: true),
        Case(rule: "Role Trust Policy Opened To Any Principal", source: "P", index: 165, fires: false),
        Case(rule: "Role Trust Policy Opened To Any Principal", source: "P", index: 166, fires: false),
        Case(rule: "Administrator Access Attached", source: "P", index: 162, fires: true),
        Case(rule: "Administrator Access Attached", source: "P", index: 163, fires: false),
        Case(rule: "Identity Provider Created Or Changed", source: "P", index: 388, fires: true),
        Case(rule: "Identity Provider Created Or Changed", source: "P", index: 392, fires: false),
        Case(rule: "Lambda Layer Attached To A Function", source: "P", index: 0, fires: true),
        Case(rule: "Lambda Layer Attached To A Function", source: "P", index: 4, fires: false),
        Case(rule: "Lambda Code Replaced By A Person", source: "P", index: 231, fires: true),
        Case(rule: "Lambda Code Replaced By A Person", source: "P", index: 233, fires: true),
        Case(rule: "Lambda Code Replaced By A Person", source: "P", index: 234, fires: true),
        Case(rule: "Lambda Code Replaced By A Person", source: "P", index: 232, fires: false),
        Case(rule: "Lambda Code Replaced By A Person", source: "P", index: 235, fires: false),
        Case(rule: "Secrets Read In Bulk", source: "P", index: 394, fires: true),
        Case(rule: "SecureString Parameters Decrypted In Bulk", source: "P", index: 414, fires: true),
        Case(rule: "SecureString Parameters Decrypted In Bulk", source: "P", index: 416, fires: false),
        Case(rule: "Instance User Data Changed", source: "P", index: 128, fires: true),
        Case(rule: "Security Group Opened To The Internet", source: "S", index: 47, fires: true),
        Case(rule: "Security Group Opened To The Internet", source: "S", index: 48, fires: false),
        Case(rule: "Console Sign-In Without MFA", source: "P", index: 71, fires: true),
        Case(rule: "Console Sign-In Without MFA", source: "P", index: 73, fires: true),
        Case(rule: "Console Sign-In Without MFA", source: "P", index: 75, fires: false),
        Case(rule: "Console Sign-In Without MFA", source: "P", index: 76, fires: false),
        Case(rule: "Console Sign-In Without MFA", source: "P", index: 79, fires: false),
        Case(rule: "Bucket Lifecycle Expires Objects Within A Week", source: "P", index: 45, fires: true),
        Case(rule: "Bucket Lifecycle Expires Objects Within A Week", source: "P", index: 47, fires: false),
        Case(rule: "Bucket Lifecycle Expires Objects Within A Week", source: "P", index: 48, fires: false),
        Case(rule: "Instances Of GPU Or Accelerator Types Launched", source: "P", index: 99, fires: true),
        Case(rule: "Instances Of GPU Or Accelerator Types Launched", source: "P", index: 100, fires: true),
        Case(rule: "Instances Of GPU Or Accelerator Types Launched", source: "P", index: 111, fires: false),
        Case(rule: "Email Sending Capability Enumerated", source: "P", index: 43, fires: true),
        Case(rule: "Objects Rewritten With A Customer-Provided Key", source: "P", index: 342, fires: true),
        Case(rule: "Objects Rewritten With A Customer-Provided Key", source: "P", index: 343, fires: false),
        Case(rule: "Bucket Policy Grants A Whole Account", source: "P", index: 309, fires: false),
        Case(rule: "Bucket Policy Grants A Whole Account", source: "S", index: 26, fires: false),
    ]

    @Test(arguments: cases)
    func corpusEvent(_ c: Case) throws {
        let event = try #require(Self.corpus[c.source]?[c.index])
        let titles = try Self.titles([event])
        #expect(titles.contains(c.rule) == c.fires, "\(titles)")
    }

    /// A corpus event repeated `count` times, a minute apart, with `change` applied to each copy.
    static func repeated(_ source: String, _ index: Int, _ count: Int, _ change: (Int, inout [String: Any]) -> Void = { _, _ in }) throws -> [[String: Any]] {
        let base = try #require(corpus[source]?[index])
        return (0..<count).map { i in
            var event = base
            event["eventTime"] = String(format: "2024-05-01T10:%02d:00Z", i)
            change(i, &event)
            return event
        }
    }

    static func setting(_ key: String, _ value: Any, in event: inout [String: Any]) {
        var parameters = event["requestParameters"] as? [String: Any] ?? [:]
        parameters[key] = value
        event["requestParameters"] = parameters
    }

    @Test func correlationsFireOnBurstsAndNotOnSingleActions() throws {
        // GetPasswordData five times in ten minutes by one role; four times is not a burst.
        #expect(try Self.titles(Self.repeated("P", 108, 5)).contains("Windows Password Data Read Repeatedly"))
        #expect(try !Self.titles(Self.repeated("P", 108, 4)).contains("Windows Password Data Read Repeatedly"))
        // Instance Connect keys to three instances; five pushes to the same instance are not.
        #expect(try Self.titles(Self.repeated("P", 114, 3) { i, e in Self.setting("instanceId", "i-0000000000000000\(i)", in: &e) })
            .contains("SSH Keys Pushed To Many Instances"))
        #expect(try !Self.titles(Self.repeated("P", 114, 5)).contains("SSH Keys Pushed To Many Instances"))
        // SSM commands: three instances in one call and two in another reach five.
        var ssm = try Self.repeated("P", 418, 1)
        ssm += try Self.repeated("P", 420, 1) { _, e in Self.setting("instanceIds", ["i-0aaaaaaaaaaaaaaa1", "i-0aaaaaaaaaaaaaaa2"], in: &e) }
        #expect(try Self.titles(ssm).contains("SSM Commands Or Sessions On Many Instances"))
        #expect(try !Self.titles(Self.repeated("P", 420, 3)).contains("SSM Commands Or Sessions On Many Instances"))
        // Ten SecureStrings decrypted one by one.
        #expect(try Self.titles(Self.repeated("P", 413, 10) { i, e in Self.setting("name", "/credentials/app-\(i)", in: &e) })
            .contains("Many SecureString Parameters Decrypted By One Principal"))
        // A bucket policy naming another account's root, from the public-policy corpus event.
        #expect(try Self.titles(Self.repeated("P", 309, 1) { _, e in
            Self.setting("bucketPolicy", ["Statement": [["Effect": "Allow", "Principal": ["AWS": ["arn:aws:iam::193672423079:root"]], "Action": "s3:GetObject",
                                                         "Resource": "arn:aws:s3:::example-bucket/*"]]], in: &e)
        }).contains("Bucket Policy Grants A Whole Account"))
        // DeleteObjects five times in ten minutes; four is not bulk.
        #expect(try Self.titles(Self.repeated("P", 354, 5)).contains("Objects Deleted In Bulk By One Principal"))
        #expect(try !Self.titles(Self.repeated("P", 354, 4)).contains("Objects Deleted In Bulk By One Principal"))
        // An instance's credentials calling eight different discovery APIs; a person's are not judged.
        let discovery = ["DescribeInstances", "DescribeVolumes", "DescribeSnapshots", "ListRoles", "ListUsers", "ListBuckets", "GetCallerIdentity", "DescribeSecurityGroups"]
        func enumerate(_ session: String) throws -> [[String: Any]] {
            try Self.repeated("P", 413, discovery.count) { i, e in
                e["eventName"] = discovery[i]
                e["userIdentity"] = ["type": "AssumedRole", "principalId": "AROAEXAMPLE:\(session)", "arn": "arn:aws:sts::111122223333:assumed-role/web/\(session)",
                                     "accountId": "111122223333", "accessKeyId": "ASIAEXAMPLE"]
            }
        }
        #expect(try Self.titles(enumerate("i-0a1b2c3d4e5f60718")).contains("Instance Credentials Enumerating The Account"))
        #expect(try !Self.titles(enumerate("alice")).contains("Instance Credentials Enumerating The Account"))
        // The base rules of the correlations raise nothing themselves.
        #expect(try !Self.titles(Self.repeated("P", 413, 1)).contains("SecureString Parameter Decrypted"))
    }

    @Test func thePackIsQuietOnBenignCorpusEvents() throws {
        // The corpus events whose Panther rule does not fire (benign cases written by rule authors)
        // raise few pack findings: at most one in twenty.
        let rows = try SharedData.corpus("corpora/panther_cloudtrail_tests.jsonl").filter { ($0["expected"] as? Bool) == false }
        let events = rows.compactMap { $0["event"] as? [String: Any] }
        let findings = try DetectionHarness.findings(cloudTrail: DetectionHarness.scannable(events, idPrefix: "benign"), detectors: Self.pack.makeDetectors())
        #expect(findings.count * 20 <= events.count, "\(findings.count) findings on \(events.count) benign events: \(findings.compactMap(\.title))")
    }
}
