import VigilIntel
import VigilModel

/// One `field|modifiers: values` of a search, compiled. A class (immutable), so evaluating it per
/// event passes a reference rather than copying its payload.
///
/// A list of values matches when any does (`all`: when every one does); a field holding several
/// values (an array inside `requestParameters`) matches when any of them does.
final class FieldTest: Sendable, CustomStringConvertible {
    enum Values: Sendable {
        case patterns([BytePattern])
        case regexes([SigmaRegex])
        case networks([IPPrefix])
        case numbers([(Comparison, Double)])
        case exists(Bool)
        /// `fieldref`: equal to (or containing, …) another field's value.
        case fieldReferences([FieldPath], BytePattern.MatchKind, ignoringCase: Bool)
    }

    enum Comparison: String, Sendable { case lt, lte, gt, gte }

    let path: FieldPath
    let values: Values
    /// `all`: every value must match.
    let requiresAll: Bool
    /// A `null` among the values: an absent field matches.
    let matchesAbsent: Bool
    /// The key as the rule wrote it (`userIdentity.arn|re`).
    let written: String

    init(path: FieldPath, values: Values, requiresAll: Bool, matchesAbsent: Bool, written: String) {
        self.path = path
        self.values = values
        self.requiresAll = requiresAll
        self.matchesAbsent = matchesAbsent
        self.written = written
    }

    var description: String { written }

    /// A rough cost rank: extracted fields before JSON paths, comparisons before expressions.
    var cost: Int {
        let place: Int
        switch path {
        case .cloudTrail(.nested): place = 2
        case .resolver(_, let keys) where !keys.isEmpty: place = 2
        default: place = 0
        }
        switch values {
        case .regexes: return place + 1
        case .fieldReferences: return place + 1
        default: return place
        }
    }

    func matches(_ view: some SigmaRecordView) -> Bool {
        switch values {
        case .exists(let wanted):
            return view.exists(path) == wanted
        // Values are visited by index: a closure over each element would copy it per record.
        case .patterns(let patterns):
            if patterns.isEmpty { return matchesAbsent && !view.exists(path) }
            if requiresAll {
                for i in patterns.indices where !view.anyValue(at: path, { patterns[i].matches($0) }) { return false }
                return true
            }
            let found = view.anyValue(at: path) { text in
                for i in patterns.indices where patterns[i].matches(text) { return true }
                return false
            }
            return found || (matchesAbsent && !view.exists(path))
        case .regexes(let regexes):
            if requiresAll {
                for i in regexes.indices where !view.anyValue(at: path, { regexes[i].matches($0) }) { return false }
                return true
            }
            return view.anyValue(at: path) { text in
                for i in regexes.indices where regexes[i].matches(text) { return true }
                return false
            }
        case .networks(let networks):
            if let address = view.address(at: path) { return networks.contains { $0.contains(address) } }
            return view.anyValue(at: path) { text in
                guard let address = IPAddress(utf8: text) else { return false }
                return networks.contains { $0.contains(address) }
            }
        case .numbers(let comparisons):
            let test: (UnsafeRawBufferPointer) -> Bool = { text in
                guard let n = Double(String(decoding: text, as: UTF8.self)) else { return false }
                return comparisons.contains { c in
                    switch c.0 {
                    case .lt: n < c.1
                    case .lte: n <= c.1
                    case .gt: n > c.1
                    case .gte: n >= c.1
                    }
                }
            }
            return view.anyValue(at: path, test)
        case .fieldReferences(let others, let kind, let ignoringCase):
            let check: (FieldPath) -> Bool = { other in
                var referenced: [String] = []
                _ = view.anyValue(at: other) { referenced.append(String(decoding: $0, as: UTF8.self)); return false }
                return referenced.contains { value in
                    let pattern = BytePattern(WildcardPattern(tokens: value.utf8.map { .byte($0) }), kind: kind,
                                              ignoringCase: ignoringCase, written: value)
                    return view.anyValue(at: self.path) { pattern.matches($0) }
                }
            }
            return requiresAll ? others.allSatisfy(check) : others.contains(where: check)
        }
    }
}
