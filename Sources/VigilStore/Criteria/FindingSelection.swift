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

    /// The columns a store's summary of finding counts keeps (by account, region, archived flag,
    /// severity and type, maintained as findings change).
    public static let summaryColumns: Set<Column> = [.accountId, .region, .archived, .severity, .type]

    /// Whether counts of this selection grouped by `grouping` come from the summary: it tests only
    /// the summary's columns and groups by one of them. Every store keeps the same summary.
    public func isCountedFromSummary(by grouping: Grouping) -> Bool {
        guard jsonTests.isEmpty, tests.allSatisfy({ Self.summaryColumns.contains($0.0) }) else { return false }
        switch grouping {
        case .account, .type, .severity: return true
        case .date, .resource: return false
        }
    }

    /// The WHERE clause, its arguments bound through `statement` (so placeholders follow any
    /// bound before it, in the statement's dialect).
    public func whereClause(_ statement: inout SQLStatement) -> String {
        var clauses = ["accountId IN (\((accounts.isEmpty ? [""] : accounts).map { statement.bind(.text($0)) }.joined(separator: ",")))", "region = \(statement.bind(.text(region)))"]
        for (column, test) in tests {
            let name = column.rawValue
            let value: (String) -> SQLArgument = { text in
                if column == .archived { return .boolean(text.lowercased() == "true") }
                if column == .severity, let n = Double(text) { return .real(n) }
                return .text(text)
            }
            switch test {
            case .oneOf(let values):
                clauses.append("\(name) IN (\(values.map { statement.bind(value($0)) }.joined(separator: ",")))")
            case .noneOf(let values):
                clauses.append("(\(name) IS NULL OR \(name) NOT IN (\(values.map { statement.bind(value($0)) }.joined(separator: ","))))")
            case .matchesAny(let patterns):
                clauses.append("(" + patterns.map { statement.wildcard(name, $0) }.joined(separator: " OR ") + ")")
            case .matchesNone(let patterns):
                clauses.append("(\(name) IS NULL OR NOT (" + patterns.map { statement.wildcard(name, $0) }.joined(separator: " OR ") + "))")
            case .between(let above, let orEqual, let below, let belowOrEqual):
                let expression = column.isTime ? statement.epochMilliseconds(name) : name
                if let above { clauses.append("\(expression) \(orEqual ? ">=" : ">") \(statement.bind(.real(above)))") }
                if let below { clauses.append("\(expression) \(belowOrEqual ? "<=" : "<") \(statement.bind(.real(below)))") }
            }
        }
        for (path, test) in jsonTests {
            clauses.append(Self.jsonClause(path, test, &statement))
        }
        return clauses.joined(separator: " AND ")
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
    /// The path is spliced in as a literal: ``jsonPathIsPlain(_:)`` admits only identifier keys.
    static func jsonClause(_ path: [String], _ test: Test, _ statement: inout SQLStatement) -> String {
        let json = statement.jsonValue(path)
        func equalsAny(_ operands: [String]) -> String {
            var parts: [String] = []
            for operand in operands {
                switch operand.lowercased() {
                case "true", "false": parts.append(json.isBoolean(operand.lowercased() == "true"))
                default:
                    if let number = Double(operand) {
                        parts.append("(\(json.isNumber) AND \(json.number) = \(statement.bind(.real(number)))) OR (\(json.isText) AND \(json.text) = \(statement.bind(.text(operand))))")
                    } else {
                        parts.append("(\(json.isText) AND \(json.text) = \(statement.bind(.text(operand))))")
                    }
                }
            }
            return "(" + parts.joined(separator: " OR ") + ")"
        }
        func wildcardAny(_ patterns: [String]) -> String {
            "(" + patterns.map { "((\(json.isText) OR \(json.isNumber)) AND \(statement.wildcard(json.text, $0)))" }.joined(separator: " OR ") + ")"
        }
        switch test {
        case .oneOf(let operands): return equalsAny(operands)
        case .noneOf(let operands): return "NOT COALESCE(\(equalsAny(operands)), \(statement.false))"
        case .matchesAny(let patterns): return wildcardAny(patterns)
        case .matchesNone(let patterns): return "NOT COALESCE(\(wildcardAny(patterns)), \(statement.false))"
        case .between(let above, let orEqual, let below, let belowOrEqual):
            let number = "(CASE WHEN \(json.isNumber) THEN \(json.number) WHEN \(json.isText) THEN COALESCE(\(statement.epochMilliseconds(json.text)), \(statement.numberInText(json.text))) END)"
            var parts: [String] = []
            if let above { parts.append("\(number) \(orEqual ? ">=" : ">") \(statement.bind(.real(above)))") }
            if let below { parts.append("\(number) \(belowOrEqual ? "<=" : "<") \(statement.bind(.real(below)))") }
            return "(" + parts.joined(separator: " AND ") + ")"
        }
    }
}
