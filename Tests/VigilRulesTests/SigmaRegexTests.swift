import Dispatch
import Foundation
import Testing
import VigilTesting
@testable import VigilRules

/// Sigma's `re` values through PCRE2: its syntax, the sub-modifiers, bytes that are not UTF-8,
/// the bound on backtracking, and searches from several threads at once.
@Suite struct SigmaRegexTests {
    static func search(_ pattern: String, _ subject: [UInt8], i: Bool = false, m: Bool = false, s: Bool = false) throws -> Bool {
        let regex = try SigmaRegex(pattern, ignoringCase: i, multiline: m, dotAll: s)
        return subject.withUnsafeBytes { regex.matches($0) }
    }

    static func search(_ pattern: String, _ subject: String, i: Bool = false, m: Bool = false, s: Bool = false) throws -> Bool {
        try search(pattern, Array(subject.utf8), i: i, m: m, s: s)
    }

    @Test func readsPerlCompatibleSyntax() throws {
        #expect(try Self.search("^\\d{12}$", "123456789012"))
        #expect(try !Self.search("^\\d{12}$", "12345678901a"))
        #expect(try Self.search("(?<=assumed-role/)web", "arn:aws:sts::1:assumed-role/web/i-1"))
        #expect(try !Self.search("(?<=assumed-role/)web", "arn:aws:iam::1:role/web"))
        #expect(try Self.search("\\bkali\\b", "Mozilla (Kali Linux) kali"))
        #expect(try !Self.search("\\bkali\\b", "kalimba"))
        #expect(try Self.search("(?i)KALI", "kali"))
        // Unanchored: a match anywhere in the value.
        #expect(try Self.search("role/[^/]+/i-[0-9a-f]{8,17}$", "arn:aws:sts::111122223333:assumed-role/web/i-0abc12345def67890"))
    }

    @Test func honoursTheSubModifiers() throws {
        #expect(try Self.search("KALI", "kali", i: true))
        #expect(try !Self.search("KALI", "kali"))
        #expect(try Self.search("^b$", "a\nb\nc", m: true))
        #expect(try !Self.search("^b$", "a\nb\nc"))
        #expect(try Self.search("a.b", "a\nb", s: true))
        #expect(try !Self.search("a.b", "a\nb"))
    }

    @Test func searchesBytesThatAreNotUTF8() throws {
        #expect(try Self.search("abc", [0xFF, 0xFE, 0x61, 0x62, 0x63, 0xC3]))
        #expect(try !Self.search("^.$", [0xFF]))
        #expect(try Self.search("^$", []))
        #expect(try Self.search("é", Array("café".utf8)))
    }

    @Test func boundsBacktrackingOnCraftedValues() throws {
        // Exponential in the number of `a`s for a backtracking engine without a bound: 2^40 steps.
        let subject = [UInt8](repeating: UInt8(ascii: "a"), count: 40) + [UInt8(ascii: "!")]
        #expect(try !Self.search("^(a+)+$", subject))
        #expect(try !Self.search("(x+x+)+y", [UInt8](repeating: UInt8(ascii: "x"), count: 40)))
        // The same expressions still match what they should.
        #expect(try Self.search("^(a+)+$", "aaaa"))
    }

    @Test func countsTheSearchesItGivesUp() throws {
        let regex = try SigmaRegex("^(a+)+$", ignoringCase: false, multiline: false, dotAll: false)
        let crafted = Array(SigmaFixtures.craftedAgent.utf8)
        #expect(regex.searchesGivenUp == 0)
        // Searches that end by themselves, matched or not, are not counted.
        #expect(Array("aaaa".utf8).withUnsafeBytes { regex.matches($0) })
        #expect(!Array("aab".utf8).withUnsafeBytes { regex.matches($0) })
        #expect(regex.searchesGivenUp == 0)
        #expect(!crafted.withUnsafeBytes { regex.matches($0) })
        #expect(regex.searchesGivenUp == 1)
        // From several threads at once, none lost.
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<5 { _ = crafted.withUnsafeBytes { regex.matches($0) } }
        }
        #expect(regex.searchesGivenUp == 21)
    }

    @Test func aRuleNamesTheSearchesItGaveUp() throws {
        let set = RuleSet(texts: [("backtracks.yml", SigmaFixtures.backtrackingRule)])
        #expect(set.errors.isEmpty, "\(set.errors)")
        let fired = try DetectionHarness.findings(cloudTrail: [
            SigmaRuleTests.event("ListUsers", agent: SigmaFixtures.craftedAgent), SigmaRuleTests.event("ListUsers", agent: "aaaa"),
        ], detectors: set.makeDetectors())
        // The ordinary value matches; the crafted one ends as no match, and is counted.
        #expect(fired.count == 1)
        let given = set.regexSearchesGivenUp
        #expect(given.count == 1)
        #expect(given.first?.rule.detectorName == "sigma:\(SigmaFixtures.backtrackingRuleId)")
        #expect(given.first?.searches == 1)
    }

    @Test func namesWhereAPatternIsWrong() {
        #expect(throws: SigmaRegex.CompileError.self) { try SigmaRegex("(unclosed", ignoringCase: false, multiline: false, dotAll: false) }
        do {
            _ = try SigmaRegex("ab[c", ignoringCase: false, multiline: false, dotAll: false)
            Issue.record("compiled a pattern with an unclosed class")
        } catch let error as SigmaRegex.CompileError {
            #expect(error.offset == 4)
            #expect(error.description.contains("missing terminating ]"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func searchesFromSeveralThreadsAtOnce() throws {
        let regex = try SigmaRegex(":assumed-role/[^/]+/i-[0-9a-f]{8,17}$", ignoringCase: false, multiline: false, dotAll: false)
        let subjects = (0..<64).map { n in
            Array((n % 2 == 0 ? "arn:aws:sts::1:assumed-role/web/i-0abc1234\(n % 10)" : "arn:aws:sts::1:assumed-role/web/alice\(n)").utf8)
        }
        let wrong = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<500 {
                for (n, subject) in subjects.enumerated() where subject.withUnsafeBytes({ regex.matches($0) }) != (n % 2 == 0) {
                    wrong.add()
                }
            }
        }
        #expect(wrong.value == 0)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
