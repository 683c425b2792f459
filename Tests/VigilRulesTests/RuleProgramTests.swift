import Foundation
import Testing
import VigilLogs
import VigilModel
import VigilTesting
@testable import VigilRules

/// A rule's flattened program answers as its condition reads: for every shared rule and every
/// rule of the pack, over every CloudTrail event of the corpora (and near misses made from them),
/// the program's verdict equals the condition evaluated over the searches that hold — the tree
/// `vigil rules test` explains matches with.
@Suite struct RuleProgramTests {
    /// Reads CloudTrail events and compares each rule's program with the reference.
    final class Comparison: LogRecordHandler {
        let rules: [SigmaRule]
        let programs: [RuleProgram]
        let view = CloudTrailRecordView()
        var events = 0, matches = 0
        var disagreements: [String] = []

        init(rules: [SigmaRule]) {
            self.rules = rules.filter { $0.source == .cloudTrail }
            programs = self.rules.map(RuleProgram.init)
        }

        func handle<Record: LogRecord>(_ record: inout Record, source: LogSource) {
            _ = Record.ifIs(&record, CloudTrailEvent.self) { (event: inout CloudTrailEvent) -> Void in
                events += 1
                view.reset(event)
                for (rule, program) in zip(rules, programs) {
                    let held = Set(rule.matchedSearches(view))
                    let expected = RuleProgramTests.holds(rule.condition, held: held, names: Set(rule.searches.keys))
                    let answer = program.matches(view, event: event)
                    if answer { matches += 1 }
                    if answer != expected {
                        disagreements.append("\(rule.title) at \(event.location): program \(answer), condition \(expected) over \(held.sorted())")
                    }
                }
            }
        }
    }

    /// The condition's truth when exactly the searches `held` hold.
    static func holds(_ condition: SigmaCondition, held: Set<String>, names: Set<String>) -> Bool {
        switch condition {
        case .search(let name): held.contains(name)
        case .not(let inner): !holds(inner, held: held, names: names)
        case .and(let a, let b): holds(a, held: held, names: names) && holds(b, held: held, names: names)
        case .or(let a, let b): holds(a, held: held, names: names) || holds(b, held: held, names: names)
        case .oneOf(let pattern): SigmaCondition.names(matching: pattern, in: names).contains { held.contains($0) }
        case .allOf(let pattern): SigmaCondition.names(matching: pattern, in: names).allSatisfy { held.contains($0) }
        }
    }

    /// The corpus events, each also as a near miss: names, sources and identities changed in case
    /// and length, fields dropped — what flips literal tests between equal, prefix and contains.
    static func events() throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        for corpus in ["corpora/panther_cloudtrail_tests.jsonl", "corpora/streamalert_cloudtrail_tests.jsonl"] {
            events += try SharedData.corpus(corpus).compactMap { $0["event"] as? [String: Any] }
        }
        var variants: [[String: Any]] = []
        for (index, event) in events.enumerated() {
            var variant = event
            switch index % 4 {
            case 0: variant["eventName"] = (event["eventName"] as? String).map { $0.lowercased() }
            case 1: variant["eventSource"] = (event["eventSource"] as? String).map { $0 + ".example" }
            case 2: variant["userAgent"] = (event["userAgent"] as? String).map { "x" + $0.uppercased() }
            default:
                variant.removeValue(forKey: "errorCode")
                variant["userIdentity"] = ["type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0abc",
                                           "sessionContext": ["sessionIssuer": ["type": "Role", "arn": "arn:aws:iam::111122223333:role/r"]]]
            }
            variants.append(variant)
        }
        return DetectionHarness.scannable(events + variants, idPrefix: "program")
    }

    @Test func programsAnswerAsTheirConditionsRead() throws {
        let shared = RuleSet(paths: [SharedData.path("sigma/rules")])
        let pack = RuleSet.packFolder.map { RuleSet(paths: [$0]) } ?? RuleSet()
        #expect(shared.rules.count == 57)
        #expect(pack.rules.count >= 40)
        let comparison = Comparison(rules: shared.rules + pack.rules)
        let lines = try Self.events().map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        var bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        bytes.withUnsafeMutableBytes { _ = LogReader().read(bytes: UnsafeRawBufferPointer($0), path: "corpus.jsonl", into: comparison) }
        #expect(comparison.events > 1_000)
        // Both answers occur often enough for the comparison to mean something.
        #expect(comparison.matches > 100)
        #expect(comparison.disagreements.isEmpty, "\(comparison.disagreements.prefix(10))")
    }

    /// Literal tests of every kind, with and without case, `all`, `null` and `exists`, decided by
    /// the flattened program (and agreeing with the condition) on hand-made events.
    @Test func literalTestsOfEveryKind() throws {
        let yaml = SigmaRuleTests.rule("""
            selection:
                eventName|startswith: 'Put'
                eventSource|endswith: '.amazonaws.com'
                userAgent|contains|all: ['Boto3', 'Python']
                errorCode: null
                sourceIPAddress|exists: true
                userIdentity.userName|cased: 'Alice'
            condition: selection
            """)
        let set = SigmaRuleTests.rules(yaml)
        #expect(set.errors.isEmpty, "\(set.errors)")
        func verdict(_ event: [String: Any]) throws -> Bool {
            let comparison = Comparison(rules: set.rules)
            let line = String(decoding: try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]), as: UTF8.self) + "\n"
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { _ = LogReader().read(bytes: UnsafeRawBufferPointer($0), path: "e.jsonl", into: comparison) }
            #expect(comparison.events == 1)
            #expect(comparison.disagreements.isEmpty, "\(comparison.disagreements)")
            return comparison.matches == 1
        }
        let base = SigmaRuleTests.event("PutUserPolicy", agent: "boto3/1.34 Python/3.11", extra: [:])
        var cased = base
        cased["userIdentity"] = ["type": "IAMUser", "userName": "Alice", "arn": "arn:aws:iam::111122223333:user/Alice"]
        #expect(try verdict(cased))
        #expect(try !verdict(base))  // userName `alice`: the cased test refuses it
        var wrongPrefix = cased
        wrongPrefix["eventName"] = "GetUserPolicy"
        #expect(try !verdict(wrongPrefix))
        var lowerName = cased
        lowerName["eventName"] = "putuserpolicy"  // Sigma compares without case
        #expect(try verdict(lowerName))
        var oneOfAll = cased
        oneOfAll["userAgent"] = "boto3/1.34"
        #expect(try !verdict(oneOfAll))
        var failed = cased
        failed["errorCode"] = "AccessDenied"
        #expect(try !verdict(failed))
        var noAddress = cased
        noAddress.removeValue(forKey: "sourceIPAddress")
        #expect(try !verdict(noAddress))
        var otherSource = cased
        otherSource["eventSource"] = "iam.amazonaws.com.evil"
        #expect(try !verdict(otherSource))
    }

    /// The byte search behind case-sensitive `contains` and regular-expression prefilters: a
    /// needle found at the start, the end, after false starts on its first byte; not found when
    /// only a prefix of it ends the text.
    @Test func byteSearchFindsEveryPlace() {
        func holds(_ text: String, _ needle: String) -> Bool {
            Array(text.utf8).withUnsafeBytes { t in Array(needle.utf8).withUnsafeBytes { BytePattern.contains(t, $0) } }
        }
        #expect(holds("aab", "aab"))
        #expect(holds("aaab", "aab"))
        #expect(holds("xyzaab", "aab"))
        #expect(holds("aabxyz", "aab"))
        #expect(holds("a:assumed-role/aws:x", ":assumed-role/aws:"))
        #expect(!holds("xyzaa", "aab"))
        #expect(!holds("aa", "aab"))
        #expect(!holds("", "a"))
        #expect(holds("anything", ""))
        #expect(!holds("AAB", "aab"))
    }

    /// A regular expression on an extracted field runs only when its prefilter holds, and then
    /// decides: the prefilter's literal alone does not match.
    @Test func screenedExpressionsStillDecide() throws {
        let set = SigmaRuleTests.rules(SigmaRuleTests.rule("""
            selection:
                userAgent|re: 'sqlmap/[0-9]+\\.[0-9]+'
            condition: selection
            """))
        #expect(set.errors.isEmpty, "\(set.errors)")
        let fired = try SigmaRuleTests.fired(set, [
            SigmaRuleTests.event("ListUsers", agent: "sqlmap/1.7 (https://sqlmap.org)"),
            SigmaRuleTests.event("ListUsers", agent: "sqlmap/dev"),
            SigmaRuleTests.event("ListUsers", agent: "aws-cli/2.15.0"),
        ])
        #expect(fired.count == 1)
        let comparison = Comparison(rules: set.rules)
        let lines = try [SigmaRuleTests.event("ListUsers", agent: "sqlmap/1.7"), SigmaRuleTests.event("ListUsers", agent: "sqlmap/x")]
            .map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        var bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        bytes.withUnsafeMutableBytes { _ = LogReader().read(bytes: UnsafeRawBufferPointer($0), path: "e.jsonl", into: comparison) }
        #expect(comparison.matches == 1)
        #expect(comparison.disagreements.isEmpty, "\(comparison.disagreements)")
    }
}
