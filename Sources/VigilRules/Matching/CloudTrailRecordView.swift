import VigilDetection
import VigilLogs
import VigilModel

/// One CloudTrail event as a rule reads it: fixed fields straight from the reader's views, and
/// the JSON-valued fields parsed at most once per event, only when a rule looks inside them
/// (after routing by event name, so most events never pay for it).
final class CloudTrailRecordView {
    /// The event read; set by ``reset(_:)`` before any test.
    private(set) var event: CloudTrailEvent!
    private var parsed: [CloudTrailField: JSONTree] = [:]
    private var unparsable: Set<CloudTrailField> = []

    init() {}

    /// Points the view at `event`, valid until the next call.
    func reset(_ event: CloudTrailEvent) {
        self.event = event
        if !parsed.isEmpty { parsed.removeAll(keepingCapacity: true) }
        if !unparsable.isEmpty { unparsable.removeAll(keepingCapacity: true) }
    }

    /// Calls `body` with each value at `path` (none when absent; one per array element inside
    /// JSON), until it returns `true`; returns whether one did.
    func anyValue(at path: CloudTrailFieldPath, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        switch path {
        case .field(let field):
            let text = event[field]
            guard text.isPresent else { return false }
            return body(text.bytes)
        case .nested(let field, let keys):
            guard let tree = tree(field) else { return false }
            var values: [JSONTree] = []
            Self.collect(tree, keys[...], into: &values)
            for value in values {
                guard var text = Self.text(of: value) else { continue }
                if text.withUTF8({ body(UnsafeRawBufferPointer($0)) }) { return true }
            }
            return false
        case .notInRecords:
            return false
        }
    }

    /// Whether `path` holds a value (JSON null counts as absent).
    func exists(_ path: CloudTrailFieldPath) -> Bool {
        switch path {
        case .field(let field):
            return event[field].isPresent
        case .nested(let field, let keys):
            guard let tree = tree(field) else { return false }
            var values: [JSONTree] = []
            Self.collect(tree, keys[...], into: &values)
            return values.contains { $0 != .null }
        case .notInRecords:
            return false
        }
    }

    private func tree(_ field: CloudTrailField) -> JSONTree? {
        if let known = parsed[field] { return known }
        if unparsable.contains(field) { return nil }
        guard let tree = JSONTree(event[field]) else {
            unparsable.insert(field)
            return nil
        }
        parsed[field] = tree
        return tree
    }

    private static func collect(_ tree: JSONTree, _ keys: ArraySlice<String>, into values: inout [JSONTree]) {
        if case .array(let items) = tree {
            for item in items { collect(item, keys, into: &values) }
            return
        }
        guard let key = keys.first else {
            values.append(tree)
            return
        }
        guard case .object(let members) = tree, let next = members[key] else { return }
        collect(next, keys.dropFirst(), into: &values)
    }

    /// A scalar's text as Sigma compares it; objects compare as nothing.
    private static func text(of value: JSONTree) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): b ? "true" : "false"
        case .null, .object, .array: nil
        }
    }
}
