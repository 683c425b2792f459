import Foundation

/// A parsed JSON value that keeps JSON's own types apart (a boolean is never a number): API
/// request bodies, and the few CloudTrail events whose `requestParameters` a detector must look
/// inside (policies, ACLs, block-public-access settings) — only after routing by event name, so
/// the cost of Foundation's parser is never paid on the per-event path.
public indirect enum JSONTree: Equatable, Sendable, Decodable {
    case object([String: JSONTree])
    case array([JSONTree])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    public init?(text: String) {
        var text = text
        guard let tree = text.withUTF8({ try? JSONTreeParser.parse(UnsafeRawBufferPointer($0), maximumDepth: 512) }) else { return nil }
        self = tree
    }

    /// The member `key` of an object, matched ignoring case.
    public subscript(key: String) -> JSONTree? {
        guard case .object(let members) = self else { return nil }
        if let exact = members[key] { return exact }
        let lower = key.lowercased()
        return members.first { $0.key.lowercased() == lower }?.value
    }

    /// The first value under a member named `key` (ignoring case), searching depth-first.
    public func find(_ key: String) -> JSONTree? {
        if let hit = self[key] { return hit }
        switch self {
        case .object(let members):
            for k in members.keys.sorted() { if let hit = members[k]!.find(key) { return hit } }
        case .array(let items):
            for item in items { if let hit = item.find(key) { return hit } }
        default: break
        }
        return nil
    }

    /// Every string anywhere in the value.
    public var allStrings: [String] {
        switch self {
        case .string(let s): return [s]
        case .object(let members): return members.keys.sorted().flatMap { members[$0]!.allStrings }
        case .array(let items): return items.flatMap(\.allStrings)
        default: return []
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// `true`/`false` from a JSON boolean or the strings `"true"`/`"false"`.
    public var boolValue: Bool? {
        switch self {
        case .bool(let b): return b
        case .string(let s): return s.lowercased() == "true" ? true : (s.lowercased() == "false" ? false : nil)
        default: return nil
        }
    }

    /// Items of an array; a single value counts as a one-item array (as XML-derived JSON does).
    public var items: [JSONTree] {
        if case .array(let a) = self { return a }
        if case .null = self { return [] }
        return [self]
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([JSONTree].self) { self = .array(a) }
        else { self = .object(try container.decode([String: JSONTree].self)) }
    }
}

extension JSONTree {
    /// JSON text that cannot be parsed.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Parses JSON text, refusing nesting deeper than `maximumDepth` before any parser sees it, so a
    /// document of a million `[` costs one pass over its bytes and no stack.
    public init(parsing bytes: [UInt8], maximumDepth: Int = 64) throws(ParseError) {
        if let depth = Self.depthExceeding(maximumDepth, in: bytes) {
            throw ParseError(reason: "the JSON is nested deeper than \(maximumDepth) levels (at byte \(depth))")
        }
        let parsed = bytes.withUnsafeBytes { buffer in Result { () throws(JSONTreeParser.Failure) in try JSONTreeParser.parse(buffer, maximumDepth: maximumDepth) } }
        switch parsed {
        case .success(let tree): self = tree
        case .failure(let failure): throw ParseError(reason: "not valid JSON: \(failure.reason) at byte \(failure.offset)")
        }
    }

    /// The offset where nesting first goes deeper than `limit` (strings and their escapes
    /// skipped), or `nil`.
    public static func depthExceeding(_ limit: Int, in bytes: [UInt8]) -> Int? {
        var depth = 0, inString = false, escaped = false
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return offset }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }

    /// The value in Foundation's types, as `JSONSerialization` gives them but with JSON's types kept
    /// apart: `Bool`, `Int` (integral numbers in range) or `Double`, `String`, `[Any]`,
    /// `[String: Any]`, `NSNull`.
    public var foundationValue: Any {
        switch self {
        case .object(let members): return members.mapValues(\.foundationValue)
        case .array(let items): return items.map(\.foundationValue)
        case .string(let s): return s
        case .bool(let b): return b
        case .number(let n):
            if n == n.rounded(), abs(n) < 9.0e15 { return Int(n) }
            return n
        case .null: return NSNull()
        }
    }
}
