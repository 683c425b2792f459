/// A statement being written at run time: its arguments bound as the text is built, so each
/// placeholder matches its value in the store's dialect (`?` for SQLite, `$1`, `$2`, … for
/// PostgreSQL), and the few expressions whose spelling differs between dialects.
public struct SQLStatement: Sendable {
    public let dialect: SQLDialect
    public private(set) var arguments: [SQLArgument] = []

    public init(_ dialect: SQLDialect) {
        self.dialect = dialect
    }

    /// The placeholder for `value`, which is appended to ``arguments``.
    public mutating func bind(_ value: SQLArgument) -> String {
        arguments.append(value)
        return dialect == .sqlite ? "?" : "$\(arguments.count)"
    }

    /// The dialect's false.
    public var `false`: String { dialect == .sqlite ? "0" : "false" }

    /// Whether `expression` matches the GuardDuty wildcard `pattern` (`*` any run, `?` one
    /// character, everything else literal, case-sensitive): GLOB in SQLite, LIKE in PostgreSQL.
    public mutating func wildcard(_ expression: String, _ pattern: String) -> String {
        switch dialect {
        case .sqlite:
            return "\(expression) GLOB \(bind(.text(pattern.replacingOccurrences(of: "[", with: "[[]"))))"
        case .postgres:
            var like = ""
            for character in pattern {
                switch character {
                case "*": like.append("%")
                case "?": like.append("_")
                case "%", "_", "\\": like.append("\\"); like.append(character)
                default: like.append(character)
                }
            }
            return "\(expression) LIKE \(bind(.text(like)))"
        }
    }

    /// An ISO-8601 text as epoch milliseconds, NULL when it is not a time.
    public func epochMilliseconds(_ expression: String) -> String {
        switch dialect {
        case .sqlite: "((julianday(\(expression)) - 2440587.5) * 86400000.0)"
        case .postgres: "vigil_epoch_ms(\(expression))"
        }
    }

    /// A text holding a plain decimal number as that number, NULL otherwise.
    public func numberInText(_ expression: String) -> String {
        switch dialect {
        case .sqlite: "CASE WHEN \(expression) GLOB '[0-9.-]*' AND \(expression) NOT GLOB '*[^0-9.eE+-]*' THEN CAST(\(expression) AS REAL) END"
        case .postgres: "vigil_number(\(expression))"
        }
    }

    /// The value at `path` (plain identifier keys) of the finding's JSON `body`.
    public func jsonValue(_ path: [String]) -> JSONValueSQL {
        switch dialect {
        case .sqlite:
            let at = "'$." + path.joined(separator: ".") + "'"
            let type = "json_type(body, \(at))"
            return JSONValueSQL(text: "json_extract(body, \(at))", number: "json_extract(body, \(at))",
                                isText: "\(type) = 'text'", isNumber: "\(type) IN ('integer','real')",
                                isBoolean: { "\(type) = '\($0)'" })
        case .postgres:
            let at = "'{" + path.joined(separator: ",") + "}'"
            let type = "jsonb_typeof(body #> \(at))"
            return JSONValueSQL(text: "(body #>> \(at))", number: "(CASE WHEN \(type) = 'number' THEN (body #>> \(at))::float8 END)",
                                isText: "\(type) = 'string'", isNumber: "\(type) = 'number'",
                                isBoolean: { "(body #> \(at)) = '\($0)'::jsonb" })
        }
    }
}

/// The SQL expressions that read one value of a finding's JSON.
public struct JSONValueSQL: Sendable {
    /// The value as text (numbers as written).
    public let text: String
    /// The value as a number (only where ``isNumber`` holds).
    public let number: String
    public let isText: String
    public let isNumber: String
    /// Whether the value is the boolean given.
    public let isBoolean: @Sendable (Bool) -> String
}
