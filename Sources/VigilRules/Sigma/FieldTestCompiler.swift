import Foundation
import VigilIntel
import Yams

/// Compiles one `field|modifiers: values` entry of a search, checking every modifier.
struct FieldTestCompiler {
    let reader: SigmaRuleReader
    let source: SigmaLogSource
    let search: String
    let keyNode: Node
    let key: String

    private var construct: String { "detection.\(search).\(key)" }

    private func fail(_ message: String, at node: Node? = nil) -> SigmaProblem {
        reader.problem(node ?? keyNode, construct, message)
    }

    func compile(_ valueNode: Node, warnings: inout [SigmaProblem]) throws(SigmaProblem) -> FieldTest {
        let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let fieldName = parts[0]
        guard !fieldName.isEmpty else {
            throw fail("keyword searches (`|modifier` without a field) are not supported; name the field")
        }
        guard let path = FieldPath.resolve(fieldName, in: source) else {
            let what = source == .cloudTrail ? "the CloudTrail field" : "a field"
            throw fail("Vigil does not read \(what) `\(fieldName)` of \(source.rawValue) records (it reads \(FieldPath.names(source)))")
        }
        if path.isNotInRecords {
            warnings.append(reader.problem(keyNode, construct,
                                           "`\(fieldName)` is not a field of CloudTrail records: this test never matches a value (only `null` or `exists: false`)",
                                           .warning))
        }
        var kind = BytePattern.MatchKind.equals
        var requiresAll = false, cased = false, regex = false, cidr = false, exists = false, fieldref = false
        var base64: Base64Form?, windash = false, utf16: UTF16Form?
        var regexFlags = (i: false, m: false, s: false)
        var comparison: FieldTest.Comparison?
        for modifier in parts.dropFirst() {
            switch modifier {
            case "contains": kind = .contains
            case "startswith": kind = .startsWith
            case "endswith": kind = .endsWith
            case "all": requiresAll = true
            case "cased": cased = true
            case "re": regex = true
            case "i": regexFlags.i = true
            case "m": regexFlags.m = true
            case "s": regexFlags.s = true
            case "cidr": cidr = true
            case "exists": exists = true
            case "fieldref": fieldref = true
            case "base64": base64 = .plain
            case "base64offset": base64 = .offsets
            case "windash": windash = true
            case "utf16le", "wide": utf16 = .littleEndian
            case "utf16be": utf16 = .bigEndian
            case "utf16": utf16 = .withByteOrderMark
            case "lt", "lte", "gt", "gte": comparison = FieldTest.Comparison(rawValue: modifier)
            case "expand":
                throw fail("`expand` needs placeholder values from a Sigma processing pipeline, which Vigil does not have; write the values in the rule")
            case "":
                throw fail("an empty modifier (`||`)")
            default:
                throw fail("unknown modifier `\(modifier)`")
            }
        }
        if (regexFlags.i || regexFlags.m || regexFlags.s) && !regex { throw fail("`i`, `m` and `s` go with `re`") }
        if utf16 != nil && base64 == nil { throw fail("`utf16le`/`utf16be`/`utf16`/`wide` go with `base64` or `base64offset`") }
        let specials = [regex, cidr, exists, fieldref, comparison != nil].filter { $0 }.count
        if specials > 1 { throw fail("`re`, `cidr`, `exists`, `fieldref` and `lt`/`gt` cannot be combined") }
        if specials == 1 && (base64 != nil || windash) { throw fail("`base64` and `windash` transform text values; they do not combine with `re`, `cidr`, `exists`, `fieldref` or comparisons") }

        let values: [Node]
        switch valueNode {
        case .sequence(let list): values = Array(list)
        case .mapping: throw fail("a field's value must be a value or a list of values", at: valueNode)
        default: values = [valueNode]
        }
        guard !values.isEmpty else { throw fail("an empty list of values never matches", at: valueNode) }

        var matchesAbsent = false
        var texts: [(String, Node)] = []
        for value in values {
            guard case .scalar(let scalar) = value else { throw fail("values must be scalars", at: value) }
            if value.null != nil {
                matchesAbsent = true
            } else {
                texts.append((scalar.string, value))
            }
        }

        if exists {
            guard texts.count == 1, let wanted = Bool(texts[0].0.lowercased()) else { throw fail("`exists` takes `true` or `false`", at: valueNode) }
            return FieldTest(path: path, values: .exists(wanted), requiresAll: false, matchesAbsent: false, written: key)
        }
        if matchesAbsent && specials > 0 { throw fail("`null` cannot be a value of `re`, `cidr`, `fieldref` or comparisons", at: valueNode) }
        if regex {
            var compiled: [SigmaRegex] = []
            for (text, node) in texts {
                do {
                    compiled.append(try SigmaRegex(text, ignoringCase: regexFlags.i, multiline: regexFlags.m, dotAll: regexFlags.s))
                } catch {
                    throw fail("`\(text)` is not a regular expression Vigil can compile: \(error)", at: node)
                }
            }
            return FieldTest(path: path, values: .regexes(compiled), requiresAll: requiresAll, matchesAbsent: false, written: key)
        }
        if cidr {
            var networks: [IPPrefix] = []
            for (text, node) in texts {
                guard text.contains("/") || IPPrefix(text) != nil, let network = IPPrefix(text) else {
                    throw fail("`\(text)` is not a CIDR block", at: node)
                }
                networks.append(network)
            }
            return FieldTest(path: path, values: .networks(networks), requiresAll: false, matchesAbsent: false, written: key)
        }
        if let comparison {
            var numbers: [(FieldTest.Comparison, Double)] = []
            for (text, node) in texts {
                guard let n = Double(text) else { throw fail("`\(comparison.rawValue)` takes numbers; `\(text)` is not one", at: node) }
                numbers.append((comparison, n))
            }
            return FieldTest(path: path, values: .numbers(numbers), requiresAll: requiresAll, matchesAbsent: false, written: key)
        }
        if fieldref {
            var others: [FieldPath] = []
            for (text, node) in texts {
                guard let other = FieldPath.resolve(text, in: source) else {
                    throw fail("`fieldref` names `\(text)`, a field Vigil does not read", at: node)
                }
                others.append(other)
            }
            return FieldTest(path: path, values: .fieldReferences(others, kind, ignoringCase: !cased), requiresAll: requiresAll, matchesAbsent: false, written: key)
        }

        var patterns: [BytePattern] = []
        for (text, _) in texts {
            let variants = windash ? Self.windashVariants(text) : [text]
            for variant in variants {
                if let base64 {
                    let bytes = utf16.map { $0.encode(variant) } ?? Array(variant.utf8)
                    for encoded in base64.encodings(of: bytes) {
                        patterns.append(BytePattern(bytes: encoded, kind: kind == .equals ? .equals : .contains, written: text))
                    }
                } else {
                    patterns.append(BytePattern(WildcardPattern(variant), kind: kind, ignoringCase: !cased, written: variant))
                }
            }
        }
        if requiresAll && texts.count < 2 {
            warnings.append(reader.problem(keyNode, construct, "`all` with one value is the same as without it", .warning))
        }
        return FieldTest(path: path, values: .patterns(patterns), requiresAll: requiresAll, matchesAbsent: matchesAbsent, written: key)
    }

    /// `-flag` in every form Windows command lines accept: `-`, `/`, en dash, em dash, horizontal bar.
    static func windashVariants(_ text: String) -> [String] {
        let dashes = ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"]
        guard text.contains("-") || text.contains("/") else { return [text] }
        var results: Set<String> = []
        for dash in dashes {
            var out = ""
            var atWordStart = true
            for c in text {
                if (c == "-" || c == "/") && atWordStart { out += dash } else { out.append(c) }
                atWordStart = c == " "
            }
            results.insert(out)
        }
        return results.sorted()
    }

    enum UTF16Form {
        case littleEndian, bigEndian, withByteOrderMark

        func encode(_ text: String) -> [UInt8] {
            var out: [UInt8] = self == .withByteOrderMark ? [0xFF, 0xFE] : []
            for unit in text.utf16 {
                let lo = UInt8(unit & 0xFF), hi = UInt8(unit >> 8)
                if self == .bigEndian { out += [hi, lo] } else { out += [lo, hi] }
            }
            return out
        }
    }

    enum Base64Form {
        case plain, offsets

        /// The encodings to look for: the value's own base64, or (`base64offset`) the three forms
        /// it takes at each offset inside longer base64 text, with the characters that depend on
        /// its neighbours cut off.
        func encodings(of bytes: [UInt8]) -> [[UInt8]] {
            switch self {
            case .plain:
                return [Array(Data(bytes).base64EncodedString().utf8)]
            case .offsets:
                let starts = [0, 2, 3], ends = [0, -3, -2]
                var out: [[UInt8]] = []
                for shift in 0..<3 {
                    let padded = [UInt8](repeating: 0x20, count: shift) + bytes
                    let encoded = Array(Data(padded).base64EncodedString().utf8)
                    let cutEnd = ends[(bytes.count + shift) % 3]
                    let from = starts[shift], to = encoded.count + cutEnd
                    if from < to { out.append(Array(encoded[from..<to])) }
                }
                return out
            }
        }
    }
}
