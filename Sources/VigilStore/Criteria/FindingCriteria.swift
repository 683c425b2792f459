import Foundation
import VigilModel

/// GuardDuty's `FindingCriteria`: per attribute (a dotted path into the finding,
/// `resource.instanceDetails.instanceId`), a condition — `equals`/`eq`, `notEquals`/`neq`,
/// `greaterThan(OrEqual)`/`gt(e)`, `lessThan(OrEqual)`/`lt(e)`, `matches`/`notMatches` with `*`
/// and `?` wildcards. Every attribute's condition must hold. Times (`updatedAt`, `createdAt`,
/// `service.eventFirstSeen`, `service.eventLastSeen`) compare as epoch milliseconds, as the API
/// takes them.
public struct FindingCriteria: Sendable {
    struct Condition: Sendable {
        var equals: [String] = []
        var notEquals: [String] = []
        var greaterThan: Double?
        var greaterThanOrEqual: Double?
        var lessThan: Double?
        var lessThanOrEqual: Double?
        var matches: [String] = []
        var notMatches: [String] = []
    }

    var conditions: [(path: [String], condition: Condition)] = []

    public init() {}

    /// Why criteria could not be read: names the attribute and the condition.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Reads `{"criterion": {attribute: condition}}`; a malformed criterion throws ``Invalid``.
    public init(json: Any?) throws(FindingCriteria.Invalid) {
        guard let json else { return }
        guard let object = json as? [String: Any] else { throw Invalid("findingCriteria must be an object.") }
        guard let criterion = object["criterion"] else { return }
        guard let attributes = criterion as? [String: Any] else { throw Invalid("findingCriteria.criterion must be an object.") }
        for (attribute, value) in attributes.sorted(by: { $0.key < $1.key }) {
            guard let c = value as? [String: Any] else { throw Invalid("The condition for \(attribute) must be an object.") }
            var condition = Condition()
            for (name, operand) in c {
                switch name {
                case "eq", "equals": condition.equals = try Self.strings(operand, attribute, name)
                case "neq", "notEquals": condition.notEquals = try Self.strings(operand, attribute, name)
                case "matches": condition.matches = try Self.strings(operand, attribute, name)
                case "notMatches": condition.notMatches = try Self.strings(operand, attribute, name)
                case "gt", "greaterThan": condition.greaterThan = try Self.number(operand, attribute, name)
                case "gte", "greaterThanOrEqual": condition.greaterThanOrEqual = try Self.number(operand, attribute, name)
                case "lt", "lessThan": condition.lessThan = try Self.number(operand, attribute, name)
                case "lte", "lessThanOrEqual": condition.lessThanOrEqual = try Self.number(operand, attribute, name)
                default: throw Invalid("Unknown condition '\(name)' for \(attribute).")
                }
            }
            conditions.append((attribute.split(separator: ".").map(String.init), condition))
        }
    }

    static func strings(_ value: Any, _ attribute: String, _ name: String) throws(FindingCriteria.Invalid) -> [String] {
        guard let list = value as? [Any] else { throw Invalid("\(attribute).\(name) must be a list of strings.") }
        return list.map { "\($0)" }
    }

    static func number(_ value: Any, _ attribute: String, _ name: String) throws(FindingCriteria.Invalid) -> Double {
        if let n = value as? NSNumber { return n.doubleValue }
        throw Invalid("\(attribute).\(name) must be a number.")
    }

    /// Whether `finding` (as its JSON tree) meets every condition.
    public func matches(_ finding: JSONTree) -> Bool {
        for (path, condition) in conditions {
            let values = Self.values(at: path, in: finding)
            let texts = values.map(Self.text)
            if !condition.equals.isEmpty && !texts.contains(where: { t in condition.equals.contains { Self.same(t, $0) } }) { return false }
            if texts.contains(where: { t in condition.notEquals.contains { Self.same(t, $0) } }) { return false }
            if !condition.matches.isEmpty && !texts.contains(where: { t in condition.matches.contains { Self.wildcard($0, t) } }) { return false }
            if texts.contains(where: { t in condition.notMatches.contains { Self.wildcard($0, t) } }) { return false }
            let bounds = [condition.greaterThan, condition.greaterThanOrEqual, condition.lessThan, condition.lessThanOrEqual]
            if bounds.contains(where: { $0 != nil }) {
                let numbers = values.compactMap(Self.number)
                let ok = numbers.contains { n in
                    (condition.greaterThan.map { n > $0 } ?? true) && (condition.greaterThanOrEqual.map { n >= $0 } ?? true)
                        && (condition.lessThan.map { n < $0 } ?? true) && (condition.lessThanOrEqual.map { n <= $0 } ?? true)
                }
                if !ok { return false }
            }
        }
        return true
    }

    /// Every value at `path`, descending through arrays.
    public static func values(at path: [String], in tree: JSONTree) -> [JSONTree] {
        if case .array(let items) = tree { return items.flatMap { values(at: path, in: $0) } }
        guard let first = path.first else { return [tree] }
        guard case .object(let members) = tree, let next = members[first] else { return [] }
        return values(at: Array(path.dropFirst()), in: next)
    }

    public static func text(_ value: JSONTree) -> String {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .null: return "null"
        default: return ""
        }
    }

    /// Numbers as numbers; ISO-8601 times as epoch milliseconds.
    public static func number(_ value: JSONTree) -> Double? {
        switch value {
        case .number(let n): return n
        case .string(let s):
            if let t = Timestamp(iso8601: s) { return Double(t.millisecondsSinceEpoch) }
            return Double(s)
        default: return nil
        }
    }

    static func same(_ value: String, _ operand: String) -> Bool {
        if value == operand { return true }
        if let a = Double(value), let b = Double(operand) { return a == b }
        return value.caseInsensitiveCompare(operand) == .orderedSame && (value == "true" || value == "false")
    }

    /// `*` any run, `?` any one character.
    public static func wildcard(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
