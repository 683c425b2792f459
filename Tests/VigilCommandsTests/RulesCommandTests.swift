import Foundation
import Testing
import VigilTesting

/// `vigil rules check`, `vigil rules test` and `vigil scan --rules`, run as a user runs them.
@Suite struct RulesCommandTests {
    static func write(_ text: String, name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static let events = """
        {"Records":[
        {"eventVersion":"1.09","eventTime":"2026-11-02T03:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"aws-cli/2","eventID":"e1","eventType":"AwsApiCall","recipientAccountId":"111122223333","requestParameters":{"userName":"bob"},"userIdentity":{"type":"IAMUser","principalId":"AIDAMALLORY","arn":"arn:aws:iam::111122223333:user/mallory","accountId":"111122223333","accessKeyId":"AKIAMALLORY","userName":"mallory"}},
        {"eventVersion":"1.09","eventTime":"2026-11-02T03:01:00Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"aws-cli/2","eventID":"e2","eventType":"AwsApiCall","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","principalId":"AIDAMALLORY","arn":"arn:aws:iam::111122223333:user/mallory","accountId":"111122223333","accessKeyId":"AKIAMALLORY","userName":"mallory"}}
        ]}
        """

    static let rule = """
        title: Key Made For Someone Else
        id: 7d0f5a2e-1111-4222-8333-944455556666
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection:
                eventName: CreateAccessKey
            filter_self:
                userIdentity.userName|fieldref: requestParameters.userName
            condition: selection and not filter_self
        level: high
        tags: [attack.persistence]
        """

    @Test func checkReportsProblemsAndExitsByThem() throws {
        let good = try VigilProcess.run(["rules", "check", SharedData.path("sigma/rules")])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("57 files: 57 rules and 0 correlations loaded"))
        #expect(good.stderr.contains("aws_delete_saml_provider.yml:26: warning: detection.selection.status"))
        let bad = try VigilProcess.run(["rules", "check", SharedData.path("sigma/unsupported")])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("aws_ec2_download_userdata.yml:21: error: detection.timeframe"))
    }

    @Test func testShowsWhichRecordsMatchAndWhy() throws {
        let logs = try Self.write(Self.events, name: "trail.json")
        let rule = try Self.write(Self.rule, name: "key.yml")
        let run = try VigilProcess.run(["rules", "test", rule, logs])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("trail.json:Records[0]"))
        #expect(run.stdout.contains("CreateAccessKey  [high] Key Made For Someone Else  — held: selection; condition: selection and not filter_self"))
        #expect(!run.stdout.contains("Records[1]"))
        #expect(run.stdout.contains("2 cloudtrail records in 1 files, 1 matches"))
    }

    @Test func scanRunsRulesBesideThePack() throws {
        let logs = try Self.write(Self.events, name: "trail.json")
        let rule = try Self.write(Self.rule, name: "key.yml")
        let run = try VigilProcess.run(["scan", "--no-geoip", "--format", "json", "--rules", rule, logs])
        #expect(run.status == 0, "\(run.stderr)")
        // The user's rule and the pack's own rule for the same technique.
        #expect(run.stdout.contains("\"Persistence:IAMUser/Sigma.KeyMadeForSomeoneElse\""))
        #expect(run.stdout.contains("\"Persistence:IAMUser/Sigma.AccessKeyCreatedForAnotherUser\""))
        #expect(run.stderr.contains("Sigma rules: "))
        let withoutPack = try VigilProcess.run(["scan", "--no-geoip", "--format", "json", "--no-rule-pack", "--rules", rule, logs])
        #expect(withoutPack.stdout.contains("KeyMadeForSomeoneElse"))
        #expect(!withoutPack.stdout.contains("AccessKeyCreatedForAnotherUser"))
        // A broken rule is reported; the scan goes on with the rest.
        let broken = try Self.write(Self.rule.replacingOccurrences(of: "eventName: CreateAccessKey", with: "eventName|nonsense: CreateAccessKey"), name: "broken.yml")
        let partial = try VigilProcess.run(["scan", "--no-geoip", "--format", "json", "--rules", broken, logs])
        #expect(partial.status == 0)
        #expect(partial.stderr.contains("broken.yml:6: error: detection.selection.eventName|nonsense: unknown modifier `nonsense`"))
        #expect(partial.stdout.contains("AccessKeyCreatedForAnotherUser"))
    }

    @Test func scanNamesTheRuleWhoseSearchesGaveUp() throws {
        // A user agent built against a rule's careless expression: the search stops at the limit,
        // counts as no match, and the scan says which rule, where it is written, and how often.
        let logs = try Self.write(Self.events.replacingOccurrences(of: "\"userAgent\":\"aws-cli/2\"", with: "\"userAgent\":\"\(SigmaFixtures.craftedAgent)\""), name: "trail.json")
        let rule = try Self.write(SigmaFixtures.backtrackingRule, name: "backtracks.yml")
        let run = try VigilProcess.run(["scan", "--no-geoip", "--format", "json", "--no-rule-pack", "--rules", rule, logs])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("BacktrackingAgent"))
        #expect(run.stderr.contains("warning: sigma:\(SigmaFixtures.backtrackingRuleId) (\(rule):1): 2 regular-expression searches stopped at the limit of 100000 backtracking steps and counted as no match"), "\(run.stderr)")
    }
}
