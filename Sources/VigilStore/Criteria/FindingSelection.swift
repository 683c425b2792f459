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
    /// Tests of attributes without a column, by their path in the finding's JSON (evaluated with
    /// SQLite's JSON functions). Only paths of plain keys that cross no list are accepted
    /// (``jsonPathIsPlain(_:)``).
    public var jsonTests: [(path: [String], test: Test)] = []

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
        for (path, test) in jsonTests {
            let (clause, values) = Self.jsonClause(path, test)
            clauses.append(clause)
            arguments += values
        }
        return (clauses.joined(separator: " AND "), StatementArgumentsBox(arguments))
    }

    /// Keys of the finding schema whose values are lists (botocore's model): a path through one of
    /// them means "any element", which `json_extract` cannot say.
    static let listKeys: Set<String> = [
        "actorIds", "actors", "additionalSequenceTypes", "containerUids", "containers", "ec2InstanceUids", "ec2NetworkInterfaceUids",
        "endpointIds", "endpoints", "filePaths", "flags", "groups", "ipv6Addresses", "itemDetails", "itemPaths", "lineage",
        "memoryRegions", "networkInterfaces", "portProbeDetails", "privateIpAddresses", "productCodes", "resourceUids", "resources",
        "s3BucketDetails", "s3ObjectDetails", "s3ObjectUids", "scannedVolumeDetails", "securityGroups", "sequenceIndicators",
        "signalIndicators", "signals", "skippedVolumeDetails", "sourceIPs", "sources", "subnetIds", "tags", "text",
        "threatIntelligenceDetails", "threatNames", "threats", "values", "volumeMounts", "volumes", "profiles", "behavior",
        "affectedResources", "additionalInfo",
    ]

    /// Whether `path` can be tested with `json_extract`: plain identifier keys, none a list or map.
    public static func jsonPathIsPlain(_ path: [String]) -> Bool {
        !path.isEmpty && path.allSatisfy { key in
            !listKeys.contains(key) && !key.isEmpty && key.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        }
    }

    /// One JSON-path test as SQL, with the semantics of `FindingCriteria` on the JSON: `equals`
    /// compares text, numbers numerically and booleans as `true`/`false`; bounds compare numbers,
    /// and ISO-8601 texts as epoch milliseconds; an absent value passes only the negative tests.
    static func jsonClause(_ path: [String], _ test: Test) -> (String, [SQLArgument]) {
        let jsonPath = "'$." + path.joined(separator: ".") + "'"
        let value = "json_extract(body, \(jsonPath))", type = "json_type(body, \(jsonPath))"
        func equalsAny(_ operands: [String]) -> (String, [SQLArgument]) {
            var parts: [String] = [], arguments: [SQLArgument] = []
            for operand in operands {
                switch operand.lowercased() {
                case "true", "false": parts.append("\(type) = '\(operand.lowercased())'")
                default:
                    if let number = Double(operand) {
                        parts.append("(\(type) IN ('integer','real') AND \(value) = ?) OR (\(type) = 'text' AND \(value) = ?)")
                        arguments += [.real(number), .text(operand)]
                    } else {
                        parts.append("(\(type) = 'text' AND \(value) = ?)")
                        arguments.append(.text(operand))
                    }
                }
            }
            return ("(" + parts.joined(separator: " OR ") + ")", arguments)
        }
        func globAny(_ patterns: [String]) -> (String, [SQLArgument]) {
            ("(" + patterns.map { _ in "(\(type) IN ('text','integer','real') AND CAST(\(value) AS TEXT) GLOB ?)" }.joined(separator: " OR ") + ")",
             patterns.map { .text(glob($0)) })
        }
        switch test {
        case .oneOf(let operands): return equalsAny(operands)
        case .noneOf(let operands):
            let (clause, arguments) = equalsAny(operands)
            return ("COALESCE(\(clause), 0) = 0", arguments)
        case .matchesAny(let patterns): return globAny(patterns)
        case .matchesNone(let patterns):
            let (clause, arguments) = globAny(patterns)
            return ("COALESCE(\(clause), 0) = 0", arguments)
        case .between(let above, let orEqual, let below, let belowOrEqual):
            let number = "(CASE WHEN \(type) IN ('integer','real') THEN \(value) WHEN \(type) = 'text' THEN COALESCE((julianday(\(value)) - 2440587.5) * 86400000.0, CASE WHEN \(value) GLOB '[0-9.-]*' AND \(value) NOT GLOB '*[^0-9.eE+-]*' THEN CAST(\(value) AS REAL) END) END)"
            var parts: [String] = [], arguments: [SQLArgument] = []
            if let above {
                parts.append("\(number) \(orEqual ? ">=" : ">") ?")
                arguments.append(.real(above))
            }
            if let below {
                parts.append("\(number) \(belowOrEqual ? "<=" : "<") ?")
                arguments.append(.real(below))
            }
            return ("(" + parts.joined(separator: " AND ") + ")", arguments)
        }
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
