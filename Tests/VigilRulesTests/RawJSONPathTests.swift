import Foundation
import Testing
import VigilModel
import VigilTesting
@testable import VigilRules

/// The byte scan that reads paths inside CloudTrail's JSON-valued fields agrees with a full parse
/// on every corpus event, and survives any damage to its input.
@Suite struct RawJSONPathTests {
    static func values(_ json: String, _ path: [String]) -> [String] {
        var out: [String] = []
        var text = json
        _ = text.withUTF8 { bytes in
            RawJSONPath.anyValue(in: UnsafeRawBufferPointer(bytes), path: path.map { Array($0.utf8) }[...]) { value, kind in
                if kind == .scalar { out.append(String(decoding: value, as: UTF8.self)) }
                return false
            }
        }
        return out
    }

    /// Every leaf path of a tree, with the leaves' texts as Sigma compares them.
    static func leaves(_ tree: JSONTree, _ prefix: [String] = [], into out: inout [[String]: [String]]) {
        switch tree {
        case .object(let members): for (k, v) in members { leaves(v, prefix + [k], into: &out) }
        case .array(let items): for item in items { leaves(item, prefix, into: &out) }
        case .string(let s): out[prefix, default: []].append(s)
        case .bool(let b): out[prefix, default: []].append(b ? "true" : "false")
        case .number: out[prefix, default: []].append("#")
        case .null: break
        }
    }

    @Test func agreesWithAFullParseOnTheCorpora() throws {
        var checked = 0
        for corpus in ["corpora/panther_cloudtrail_tests.jsonl", "corpora/streamalert_cloudtrail_tests.jsonl"] {
            for row in try SharedData.corpus(corpus) {
                guard let event = row["event"] as? [String: Any] else { continue }
                for field in ["requestParameters", "responseElements", "additionalEventData"] {
                    guard let value = event[field], !(value is NSNull),
                          let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) else { continue }
                    let json = String(decoding: data, as: UTF8.self)
                    guard let tree = JSONTree(text: json) else { continue }
                    var expected: [[String]: [String]] = [:]
                    Self.leaves(tree, into: &expected)
                    for (path, texts) in expected where !path.isEmpty {
                        let got = Self.values(json, path).map { text in Double(text) != nil && !texts.contains(text) ? "#" : text }
                        #expect(got.sorted() == texts.sorted(), "\(path) in \(json.prefix(300))")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 1000)
    }

    @Test func escapesAreDecoded() {
        #expect(Self.values(#"{"a\u0062":{"c":"x\"y\\z\u00e9\ud83d\ude00"}}"#, ["ab", "c"]) == ["x\"y\\zé😀"])
        #expect(Self.values(#"{"items":[{"n":1},{"n":"two"},{"m":3}]}"#, ["items", "n"]) == ["1", "two"])
        #expect(Self.values(#"[{"k":"v"}]"#, ["k"]) == ["v"])
    }

    @Test func damagedTextNeverCrashesOrReadsOutside() {
        let json = #"{"ipPermissions":{"items":[{"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]},"fromPort":22,"toPort":"22"}]},"s":"a\"b"}"#
        let bytes = Array(json.utf8)
        var random = SystemRandomNumberGenerator()
        for cut in 0...bytes.count {
            _ = Self.values(String(decoding: bytes[0..<cut], as: UTF8.self), ["ipPermissions", "items", "fromPort"])
        }
        for _ in 0..<2000 {
            var damaged = bytes
            for _ in 0..<3 { damaged[Int.random(in: 0..<damaged.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            _ = Self.values(String(decoding: damaged, as: UTF8.self), ["ipPermissions", "items", "ipRanges", "items", "cidrIp"])
        }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(Self.values(deep, ["a"]).isEmpty)
    }
}
