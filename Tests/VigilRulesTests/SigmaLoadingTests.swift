import Foundation
import Testing
import VigilTesting
@testable import VigilRules

/// SigmaHQ's AWS rules load and run; what Vigil cannot run is reported with file, line and
/// construct, and the other rules still load.
@Suite struct SigmaLoadingTests {
    @Test func everySharedSigmaHQRuleLoads() throws {
        let set = RuleSet(paths: [SharedData.path("sigma/rules")])
        #expect(set.files.count == 57)
        #expect(set.rules.count == 57)
        #expect(set.errors.isEmpty, "\(set.errors)")
        // One rule tests a field CloudTrail records do not have; it runs, and says so.
        #expect(set.problems.count == 1)
        let warning = try #require(set.problems.first)
        #expect(warning.severity == .warning)
        #expect(warning.file.hasSuffix("aws_delete_saml_provider.yml"))
        #expect(warning.line == 26)
        #expect(warning.construct == "detection.selection.status")
        // Most are routed by event name, so they cost nothing on other events.
        #expect(set.rules.filter { $0.eventNames != nil }.count >= 50)
    }

    @Test func sigmaOneAggregationsAreReportedWithTheirLine() {
        let set = RuleSet(paths: [SharedData.path("sigma/unsupported")])
        #expect(set.rules.isEmpty)
        #expect(set.errors.count == 8)
        for problem in set.errors {
            #expect(problem.line != nil, "\(problem)")
            #expect(problem.description.contains("correlation"), "\(problem)")
        }
    }

    @Test func aBrokenRuleIsReportedAndTheOthersLoad() {
        let good = SigmaRuleTests.rule("selection:\n    eventName: CreateUser\ncondition: selection")
        let badModifier = SigmaRuleTests.rule("selection:\n    eventName|sounds_like: CreateUser\ncondition: selection")
        let badCondition = SigmaRuleTests.rule("selection:\n    eventName: CreateUser\ncondition: selection and nothing")
        let unknownField = SigmaRuleTests.rule("selection:\n    tlsDetails.tlsVersion: TLSv1\ncondition: selection")
        let wrongSource = good.replacingOccurrences(of: "service: cloudtrail", with: "service: s3")
        let expand = SigmaRuleTests.rule("selection:\n    sourceIPAddress|expand: '%office%'\ncondition: selection")
        let badRegex = SigmaRuleTests.rule("selection:\n    userAgent|re: '(unclosed'\ncondition: selection")
        let set = RuleSet(texts: [
            ("good.yml", good), ("modifier.yml", badModifier), ("condition.yml", badCondition), ("field.yml", unknownField),
            ("source.yml", wrongSource), ("expand.yml", expand), ("regex.yml", badRegex), ("yaml.yml", "title: [unclosed\n"),
        ])
        #expect(set.rules.count == 1)
        let byFile = Dictionary(grouping: set.errors, by: \.file)
        #expect(byFile["modifier.yml"]?.first?.message.contains("unknown modifier `sounds_like`") == true)
        #expect(byFile["modifier.yml"]?.first?.line == 8)
        #expect(byFile["condition.yml"]?.first?.message.contains("'nothing' is not a search") == true)
        #expect(byFile["field.yml"]?.first?.message.contains("does not read the CloudTrail field `tlsDetails.tlsVersion`") == true)
        #expect(byFile["source.yml"]?.first?.construct == "logsource")
        #expect(byFile["expand.yml"]?.first?.message.contains("placeholder") == true)
        #expect(byFile["regex.yml"]?.first?.message.contains("regular expression") == true)
        #expect(byFile["yaml.yml"]?.first?.construct == "YAML")
        #expect(set.errors.count == 7)
    }

    @Test func correlationsNameRulesThatLoaded() {
        let base = SigmaRuleTests.rule("selection:\n    eventName: GetSecretValue\ncondition: selection")
            .replacingOccurrences(of: "title: Test Rule", with: "title: Secret read\nname: secret_read")
        let correlation = """
            title: Many secrets
            correlation:
                type: event_count
                rules: [secret_read, not_loaded]
                timespan: 10m
                condition:
                    gte: 3
            """
        let set = RuleSet(texts: [("a.yml", base), ("b.yml", correlation)])
        #expect(set.correlations.isEmpty)
        #expect(set.errors.first?.construct == "correlation.rules")
        #expect(set.errors.first?.message.contains("`not_loaded`") == true)
        #expect(set.errors.first?.line == 4)
    }
}
