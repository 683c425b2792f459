import Foundation
import Testing
@testable import VigilModel

/// ``JSONTreeParser`` reads what Foundation's decoder reads, the same way, and refuses what it refuses.
@Suite struct JSONTreeParserTests {
    static func viaFoundation(_ text: String) -> JSONTree? { try? JSONDecoder().decode(JSONTree.self, from: Data(text.utf8)) }

    @Test(arguments: [
        #"{}"#, #"[]"#, #"  {"a": [1, 2.5, -3e2, 0, -0.125, 1E+3], "b": {"c": null, "d": true, "e": false}}  "#,
        #""plain""#, #"12345678901234567890"#, #"{"s": "quote \" slash \/ back \\ tab \t nl \n u \u00e9 \u4e2d pair \ud83d\ude00"}"#,
        #"{"a": 1, "a": 2}"#, #"[[[[[]]]]]"#, #"{"findingCriteria":{"criterion":{"severity":{"gte":7}}},"maxResults":50}"#,
    ])
    func readsWhatFoundationReads(_ text: String) throws {
        let parsed = try JSONTree(parsing: Array(text.utf8))
        #expect(parsed == Self.viaFoundation(text))
        #expect(JSONTree(text: text) == parsed)
    }

    @Test(arguments: [
        "", "   ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "{\"a\" 1}", "{a:1}",
        "[1 2]", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"tab\tinside\"", "{} {}", "1e999", "NaN", "// x\n1",
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONTree.ParseError.self) { try JSONTree(parsing: Array(text.utf8)) }
    }

    @Test func nestingBeyondTheLimitIsRefusedWithoutRecursion() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONTree.ParseError.self) { try JSONTree(parsing: Array(deep.utf8)) }
        #expect(JSONTree(text: deep) == nil)
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect((try? JSONTree(parsing: Array(fine.utf8))) != nil)
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONTree(parsing: Array(#""a\ud800b""#.utf8)) == .string("a\u{FFFD}b"))
        #expect(try JSONTree(parsing: Array(#""\udc00""#.utf8)) == .string("\u{FFFD}"))
    }

    /// Every event of the rule corpora parses as Foundation parses it.
    @Test func corpusEventsParseAlike() throws {
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/data/corpora/panther_cloudtrail_tests.jsonl")
        let text = try String(contentsOf: shared, encoding: .utf8)
        var lines = 0
        for line in text.split(separator: "\n") where !line.isEmpty {
            #expect(try JSONTree(parsing: Array(line.utf8)) == Self.viaFoundation(String(line)))
            lines += 1
        }
        #expect(lines > 100)
    }
}
