import Foundation
import Testing
import VigilModel

/// `JSONText` writes what `JSONSerialization` writes, read back as the same value.
@Suite struct JSONTextTests {
    @Test func readsBackAsFoundationWritesIt() throws {
        let value: [String: Any] = [
            "name": "a \"quoted\" \\ path/with\nnewline\u{01} and é", "count": 42, "ratio": 0.125, "big": 1e20, "flag": true, "off": false,
            "list": [1, "two", ["three": 3.5], [Int](), [String: Any]()], "nested": ["z": 1, "a": ["b": NSNull()]], "negative": -7,
            "unsigned": UInt32(4_000_000_000),
        ]
        let ours = try JSONSerialization.jsonObject(with: Data(JSONText.write(value).utf8)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) as? NSDictionary
        #expect(ours == theirs)
        #expect(JSONText.write(["b": 1, "a": 2]) == #"{"a":2,"b":1}"#)
        #expect(JSONText.write(["t": true]) == #"{"t":true}"#)
    }

    /// The unboxed writer of findings' `additionalInfo` writes what the general one writes.
    @Test func objectOfStringsIsTheGeneralText() {
        let strings = ["unusual": "a \"b\"\n", "anomalyScore": "0.93", "triggeringEventIds": "shadowed", "é": "\u{7}"]
        let lists = ["triggeringEventIds": ["e1", "e\\2"], "evidenceLocations": ["x.json:line 3"]]
        var merged: [String: Any] = strings
        for (key, list) in lists { merged[key] = list }
        #expect(JSONText.object(strings: strings, lists: lists) == JSONText.write(merged))
        #expect(JSONText.object(strings: [:], lists: [:]) == "{}")
        #expect(JSONText.write([Int64.min, Int64.max, 0, -1, Int(Int32.max)]) == "[\(Int64.min),\(Int64.max),0,-1,\(Int32.max)]")
    }

    /// Escapes at either end, side by side and alone, between runs copied whole.
    @Test func escapesAtEveryPlace() throws {
        let texts = ["\"start", "end\\", "\n\n\t\u{1f}", "plain", "", "a\"b\\c\rd", "\u{0}", "é\"ü", String(repeating: "x", count: 300) + "\""]
        for text in texts {
            let written = JSONText.write([text])
            let read = try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String]
            #expect(read == [text], "\(written)")
        }
        #expect(JSONText.write(["\"a\n"]) == #"["\"a\n"]"#)
    }
}
