import Foundation

/// A selection of findings that the store evaluates in SQL, over the columns it keeps beside each
/// finding's JSON (indexed by account and region, with update time, type and severity): what the
/// API and the console need to list, count and page 100,000 findings without decoding them.
public struct FindingSelection: Sendable {
    /// The columns a selection can test and sort on.
    public enum Column: String, CaseIterable, Sendable {
        case id, accountId, region, type, severity, archived, updatedAt, createdAt, resourceType, instanceId, accessKeyId, eventLastSeen

        /// Columns holding ISO-8601 times (compared as epoch milliseconds).
        public var isTime: Bool { self == .updatedAt || self == .createdAt || self == .eventLastSeen }
    }

    /// A test of one column. A finding without a value for the column passes only the negative
    /// tests (`noneOf`, `matchesNone`), as GuardDuty's criteria treat absent attributes.
    public enum Test: Sendable {
        case oneOf([String])
        case noneOf([String])
        /// Wildcards: `*` any run, `?` one character.
        case matchesAny([String])
        case matchesNone([String])
        /// Numeric bounds (times in epoch milliseconds); `nil` bounds are open.
        case between(above: Double?, orEqual: Bool, below: Double?, belowOrEqual: Bool)
    }

    /// How findings are counted in groups.
    public enum Grouping: Sendable {
        case account, type, severity, date, resource
    }

    public var accounts: [String]
    public var region: String
    public var tests: [(Column, Test)] = []

    public init(accounts: [String], region: String) {
        self.accounts = accounts
        self.region = region
    }

    /// The WHERE clause and its arguments.
    func sql() -> (String, StatementArgumentsBox) {
        var clauses = ["accountId IN (\(Array(repeating: "?", count: max(accounts.count, 1)).joined(separator: ",")))", "region = ?"]
        var arguments: [SQLArgument] = accounts.isEmpty ? [.text("")] : accounts.map { .text($0) }
        arguments.append(.text(region))
        for (column, test) in tests {
            let name = column.rawValue
            let numeric = column == .severity
            let value: (String) -> SQLArgument = { text in
                if column == .archived { return .integer(text.lowercased() == "true" ? 1 : 0) }
                if numeric, let n = Double(text) { return .real(n) }
                return .text(text)
            }
            switch test {
            case .oneOf(let values):
                clauses.append("\(name) IN (\(Array(repeating: "?", count: values.count).joined(separator: ",")))")
                arguments += values.map(value)
            case .noneOf(let values):
                clauses.append("(\(name) IS NULL OR \(name) NOT IN (\(Array(repeating: "?", count: values.count).joined(separator: ","))))")
                arguments += values.map(value)
            case .matchesAny(let patterns):
                clauses.append("(" + patterns.map { _ in "\(name) GLOB ?" }.joined(separator: " OR ") + ")")
                arguments += patterns.map { .text(Self.glob($0)) }
            case .matchesNone(let patterns):
                clauses.append("(\(name) IS NULL OR NOT (" + patterns.map { _ in "\(name) GLOB ?" }.joined(separator: " OR ") + "))")
                arguments += patterns.map { .text(Self.glob($0)) }
            case .between(let above, let orEqual, let below, let belowOrEqual):
                let expression = column.isTime ? "((julianday(\(name)) - 2440587.5) * 86400000.0)" : name
                if let above {
                    clauses.append("\(expression) \(orEqual ? ">=" : ">") ?")
                    arguments.append(.real(above))
                }
                if let below {
                    clauses.append("\(expression) \(belowOrEqual ? "<=" : "<") ?")
                    arguments.append(.real(below))
                }
            }
        }
        return (clauses.joined(separator: " AND "), StatementArgumentsBox(arguments))
    }

    /// A GuardDuty wildcard (`*`, `?`) as a GLOB pattern (`[` taken literally).
    static func glob(_ pattern: String) -> String { pattern.replacingOccurrences(of: "[", with: "[[]") }
}

enum SQLArgument: Sendable {
    case text(String), real(Double), integer(Int)
}

/// Arguments of a statement, kept free of GRDB in the public interface.
struct StatementArgumentsBox {
    let values: [SQLArgument]
    init(_ values: [SQLArgument]) { self.values = values }
}
