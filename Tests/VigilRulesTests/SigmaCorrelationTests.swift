import Foundation
import Testing
import VigilTesting
@testable import VigilRules

/// Correlation rules over event time: counts, distinct values and sequences within a timespan,
/// grouped by fields.
@Suite struct SigmaCorrelationTests {
    static let secretRead = SigmaRuleTests.rule("selection:\n    eventName: GetSecretValue\ncondition: selection")
        .replacingOccurrences(of: "title: Test Rule", with: "title: Secret read\nname: secret_read")
        .replacingOccurrences(of: "0000-000000000001", with: "0000-000000000002")
    static let keyMade = SigmaRuleTests.rule("selection:\n    eventName: CreateAccessKey\ncondition: selection")
        .replacingOccurrences(of: "title: Test Rule", with: "title: Key made\nname: key_made")
        .replacingOccurrences(of: "0000-000000000001", with: "0000-000000000003")

    static func correlation(_ body: String, generate: Bool = false) -> String {
        """
        title: Correlated
        id: 0f5c2b6e-0000-4000-8000-0000000000c1
        level: critical
        tags: [attack.credential-access]
        correlation:
        \(body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            generate: \(generate)
        """
    }

    static func at(_ minute: Int, _ name: String, arn: String = "arn:aws:iam::111122223333:user/alice", secret: String = "s") -> [String: Any] {
        SigmaRuleTests.event(name, source: name == "GetSecretValue" ? "secretsmanager.amazonaws.com" : "iam.amazonaws.com",
                             time: String(format: "2024-05-01T10:%02d:00Z", minute), arn: arn, parameters: ["secretId": secret])
    }

    @Test func eventCountFiresAtTheThresholdWithinTheTimespanPerGroup() throws {
        let set = RuleSet(texts: [("r.yml", Self.secretRead), ("c.yml", Self.correlation("""
            type: event_count
            rules: secret_read
            group-by: [userIdentity.arn]
            timespan: 5m
            condition: {gte: 3}
            """))])
        // Three reads by alice within 5 minutes: one finding. Bob's two and alice's spread-out reads: none.
        #expect(try SigmaRuleTests.fired(set, [Self.at(0, "GetSecretValue"), Self.at(1, "GetSecretValue"), Self.at(4, "GetSecretValue")]) == ["Correlated"])
        #expect(try SigmaRuleTests.fired(set, [Self.at(0, "GetSecretValue"), Self.at(6, "GetSecretValue"), Self.at(12, "GetSecretValue")]).isEmpty)
        let bob = "arn:aws:iam::111122223333:user/bob"
        #expect(try SigmaRuleTests.fired(set, [Self.at(0, "GetSecretValue"), Self.at(1, "GetSecretValue", arn: bob), Self.at(2, "GetSecretValue")]).isEmpty)
    }

    @Test func valueCountCountsDistinctValues() throws {
        let set = RuleSet(texts: [("r.yml", Self.secretRead), ("c.yml", Self.correlation("""
            type: value_count
            rules: [secret_read]
            group-by: [userIdentity.arn]
            timespan: 1h
            condition: {gte: 3, field: requestParameters.secretId}
            """))])
        #expect(try SigmaRuleTests.fired(set, (0..<3).map { Self.at($0, "GetSecretValue", secret: "db-\($0)") }) == ["Correlated"])
        #expect(try SigmaRuleTests.fired(set, (0..<6).map { Self.at($0, "GetSecretValue", secret: "db-\($0 % 2)") }).isEmpty)
    }

    @Test func temporalOrderedNeedsTheOrder() throws {
        let set = RuleSet(texts: [("r.yml", Self.secretRead + "\n---\n" + Self.keyMade), ("c.yml", Self.correlation("""
            type: temporal_ordered
            rules: [key_made, secret_read]
            group-by: [userIdentity.arn]
            timespan: 10m
            """))])
        #expect(try SigmaRuleTests.fired(set, [Self.at(0, "CreateAccessKey"), Self.at(3, "GetSecretValue")]) == ["Correlated"])
        #expect(try SigmaRuleTests.fired(set, [Self.at(0, "GetSecretValue"), Self.at(3, "CreateAccessKey")]).isEmpty)
        #expect(try SigmaRuleTests.fired(set, [Self.at(0, "CreateAccessKey"), Self.at(30, "GetSecretValue")]).isEmpty)
        let temporal = RuleSet(texts: [("r.yml", Self.secretRead + "\n---\n" + Self.keyMade), ("c.yml", Self.correlation("""
            type: temporal
            rules: [key_made, secret_read]
            timespan: 10m
            """))])
        #expect(try SigmaRuleTests.fired(temporal, [Self.at(0, "GetSecretValue"), Self.at(3, "CreateAccessKey")]) == ["Correlated"])
    }

    @Test func correlatedRulesRaiseTheirOwnFindingsOnlyWithGenerate() throws {
        let body = """
            type: event_count
            rules: secret_read
            timespan: 5m
            condition: {gte: 2}
            """
        let events = [Self.at(0, "GetSecretValue"), Self.at(1, "GetSecretValue")]
        let silent = RuleSet(texts: [("r.yml", Self.secretRead), ("c.yml", Self.correlation(body))])
        #expect(try SigmaRuleTests.fired(silent, events) == ["Correlated"])
        let generating = RuleSet(texts: [("r.yml", Self.secretRead), ("c.yml", Self.correlation(body, generate: true))])
        #expect(try SigmaRuleTests.fired(generating, events) == ["Correlated", "Secret read"])
    }
}
