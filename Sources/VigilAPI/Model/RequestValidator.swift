import Foundation
import VigilModel

/// Checks a request against its operation's input shape — the one place where request members are
/// validated, for every operation alike: required members present, every value of its shape's
/// kind, strings and lists and maps within their length bounds, numbers within range, strings
/// matching their pattern and among their allowed values, recursively through lists, maps and
/// structures. A violation is a `BadRequestException` naming the member by its path
/// (`usageCriteria.dataSources[0]`).
///
/// Where the model sets no bound, Vigil sets one (``Limits``), so no member can make the server
/// hold or walk more than a bounded amount whatever the body holds.
public struct RequestValidator: Sendable {
    /// Vigil's bounds for what the model leaves unbounded.
    public struct Limits: Sendable {
        /// Characters of a string without a `max`.
        public var stringLength: Int64 = 8192
        /// Items of a list, entries of a map, without a `max`.
        public var collectionCount: Int64 = 1000
        public init() {}
    }

    public let limits: Limits
    /// moto's rules, for `--test-mode` only: empty lists and maps where GuardDuty wants at least one
    /// item, and values outside an enum's set (moto's own tests send both). Types, maxima and
    /// patterns are still checked, so nothing unbounded gets through.
    public let lenient: Bool

    public init(limits: Limits = Limits(), lenient: Bool = false) {
        self.limits = limits
        self.lenient = lenient
    }

    /// Validates the request members of `shape`: body members from `body`, URI members from
    /// `labels`, query members from `query`. Body members the shape does not declare are ignored, as
    /// AWS's services do.
    public func validate(_ shape: APIShape, body: JSONTree, labels: [String: String], query: [String: [String]]) throws(APIError) {
        guard case .object(let members) = body else {
            throw APIError(status: 400, type: "SerializationException", message: "The request body is not a JSON object.")
        }
        for member in shape.members {
            switch member.location {
            case .body:
                let value = members[member.locationName]
                if value == nil || value == .null {
                    if member.required { throw Self.missing(member.locationName) }
                    continue
                }
                try check(value!, member.shape, path: member.locationName)
            case .uri:
                guard let text = labels[member.locationName], !text.isEmpty else {
                    if member.required { throw Self.missing(member.locationName) }
                    continue
                }
                try check(text: text, member.shape, path: member.locationName)
            case .querystring:
                guard let values = query[member.locationName], let first = values.first else {
                    if member.required { throw Self.missing(member.locationName) }
                    continue
                }
                if member.shape.kind == .list {
                    // A list travels as the parameter repeated (`tagKeys=a&tagKeys=b`).
                    try count(Int64(values.count), member.shape, path: member.locationName)
                    guard let item = member.shape.member else { continue }
                    for (index, value) in values.enumerated() { try check(text: value, item, path: "\(member.locationName)[\(index)]") }
                } else {
                    guard values.count == 1 else { throw Self.invalid(member.locationName, "must be given once") }
                    try check(text: first, member.shape, path: member.locationName)
                }
            }
        }
    }

    /// A value given as text (a URI label or query parameter), converted to its shape's kind first.
    func check(text: String, _ shape: APIShape, path: String) throws(APIError) {
        switch shape.kind {
        case .integer, .long:
            guard let number = Int64(text) else { throw Self.invalid(path, "must be an integer") }
            try check(.number(Double(number)), shape, path: path)
        case .boolean:
            guard text == "true" || text == "false" else { throw Self.invalid(path, "must be true or false") }
        case .double:
            guard let number = Double(text), number.isFinite else { throw Self.invalid(path, "must be a number") }
        default:
            try check(.string(text), shape, path: path)
        }
    }

    func check(_ value: JSONTree, _ shape: APIShape, path: String) throws(APIError) {
        switch shape.kind {
        case .string:
            guard case .string(let text) = value else { throw Self.invalid(path, "must be a string") }
            let length = Int64(text.count)
            if let min = shape.min, length < min { throw Self.invalid(path, "must have length greater than or equal to \(min)") }
            let max = shape.max ?? limits.stringLength
            if length > max { throw Self.invalid(path, "must have length less than or equal to \(max)") }
            if !lenient, let allowed = shape.allowedValues, !allowed.contains(text) {
                throw Self.invalid(path, "must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
            }
            if let pattern = shape.compiledPattern, !pattern.matches(text) {
                throw Self.invalid(path, "must satisfy regular expression pattern: \(shape.pattern ?? "")")
            }
        case .boolean:
            guard case .bool = value else { throw Self.invalid(path, "must be a boolean") }
        case .integer, .long:
            guard case .number(let n) = value, n.isFinite, n == n.rounded() else { throw Self.invalid(path, "must be an integer") }
            let (low, high): (Double, Double) = shape.kind == .integer ? (-2_147_483_648, 2_147_483_647) : (-9.223372036854775808e18, 9.223372036854775807e18)
            guard n >= low, n <= high else { throw Self.invalid(path, "is out of the range of a \(shape.kind.rawValue)") }
            if let min = shape.min, n < Double(min) { throw Self.invalid(path, "must have value greater than or equal to \(min)") }
            if let max = shape.max, n > Double(max) { throw Self.invalid(path, "must have value less than or equal to \(max)") }
        case .double:
            guard case .number(let n) = value, n.isFinite else { throw Self.invalid(path, "must be a number") }
        case .timestamp:
            switch value {
            case .number(let n) where n.isFinite: break
            case .string(let s) where Timestamp(iso8601: s) != nil: break
            default: throw Self.invalid(path, "must be a timestamp (epoch seconds or ISO 8601)")
            }
        case .list:
            guard case .array(let items) = value else { throw Self.invalid(path, "must be a list") }
            try count(Int64(items.count), shape, path: path)
            guard let member = shape.member else { return }
            for (index, item) in items.enumerated() { try check(item, member, path: "\(path)[\(index)]") }
        case .map:
            guard case .object(let entries) = value else { throw Self.invalid(path, "must be an object") }
            try count(Int64(entries.count), shape, path: path)
            for key in entries.keys.sorted() {
                if let keyShape = shape.key { try check(.string(key), keyShape, path: "\(path) key '\(Self.shortened(key))'") }
                if let valueShape = shape.value, let entry = entries[key] {
                    if entry == .null { throw Self.invalid("\(path).\(Self.shortened(key))", "must not be null") }
                    try check(entry, valueShape, path: "\(path).\(Self.shortened(key))")
                }
            }
        case .structure:
            guard case .object(let members) = value else { throw Self.invalid(path, "must be an object") }
            for member in shape.members where member.location == .body {
                let item = members[member.locationName]
                if item == nil || item == .null {
                    if member.required { throw Self.missing("\(path).\(member.locationName)") }
                    continue
                }
                try check(item!, member.shape, path: "\(path).\(member.locationName)")
            }
        }
    }

    func count(_ n: Int64, _ shape: APIShape, path: String) throws(APIError) {
        if !lenient, let min = shape.min, n < min { throw Self.invalid(path, "must have at least \(min) \(min == 1 ? "item" : "items")") }
        let max = shape.max ?? limits.collectionCount
        if n > max { throw Self.invalid(path, "must have at most \(max) items") }
    }

    static func missing(_ path: String) -> APIError {
        .badRequest("The request is rejected because the required member '\(path)' is missing.")
    }

    static func invalid(_ path: String, _ constraint: String) -> APIError {
        .badRequest("The request is rejected because the value at '\(path)' failed to satisfy a constraint: it \(constraint).")
    }

    /// A key as an error message shows it: at most 64 characters.
    static func shortened(_ text: String) -> String { text.count <= 64 ? text : String(text.prefix(61)) + "..." }
}
