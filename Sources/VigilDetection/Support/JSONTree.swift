import Foundation
import VigilLogs

/// A parsed JSON value, for the few events whose `requestParameters` a detector must look inside
/// (policies, ACLs, block-public-access settings). Only used after routing by event name, so the
/// cost of Foundation's parser is paid for a handful of events, never on the per-event path.
public indirect enum JSONTree: Equatable, Sendable, Decodable {
    case object([String: JSONTree])
    case array([JSONTree])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// Parses JSON text; `nil` if absent or not JSON.
    public init?(_ text: RawText) {
        guard let string = text.string else { return nil }
        self.init(text: string)
    }

    public init?(text: String) {
        guard let tree = try? JSONDecoder().decode(JSONTree.self, from: Data(text.utf8)) else { return nil }
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
