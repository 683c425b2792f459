import VigilLogs
import VigilModel

/// One CloudTrail event as a rule reads it: fixed fields straight from the reader's views, and
/// paths inside the JSON-valued fields (`requestParameters.…`) found by scanning their text
/// (``RawJSONPath``), with no tree built and nothing allocated.
final class CloudTrailRecordView: SigmaRecordView {
    /// The event read; set by ``reset(_:)`` before any test.
    private(set) var event: CloudTrailEvent!

    init() {}

    /// Points the view at `event`, valid until the next call.
    @inline(__always)
    func reset(_ event: CloudTrailEvent) {
        self.event = event
    }

    /// Calls `body` with each value at `path` (none when absent; one per array element inside
    /// JSON; objects and `null` are not values), until it returns `true`; returns whether one did.
    func anyValue(at path: FieldPath, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard case .cloudTrail(let path) = path else { return false }
        return anyValue(at: path, body)
    }

    func exists(_ path: FieldPath) -> Bool {
        guard case .cloudTrail(let path) = path else { return false }
        return exists(path)
    }

    func address(at path: FieldPath) -> IPAddress? { nil }

    func anyValue(at path: CloudTrailFieldPath, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        switch path {
        case .field(let field):
            let text = event[field]
            guard text.isPresent else { return false }
            return body(text.bytes)
        case .nested(let field, let keys):
            let text = event[field]
            guard text.isPresent else { return false }
            return RawJSONPath.anyValue(in: text.bytes, path: keys[...]) { value, kind in
                kind == .scalar && body(value)
            }
        case .notInRecords:
            return false
        }
    }

    /// Whether `path` holds a value (JSON `null` counts as absent).
    func exists(_ path: CloudTrailFieldPath) -> Bool {
        switch path {
        case .field(let field):
            return event[field].isPresent
        case .nested(let field, let keys):
            let text = event[field]
            guard text.isPresent else { return false }
            return RawJSONPath.anyValue(in: text.bytes, path: keys[...]) { _, kind in kind != .null }
        case .notInRecords:
            return false
        }
    }
}
