import VigilLogs
import VigilModel

/// A Resolver query-log record as a rule reads it; paths inside `answers` are read by
/// ``RawJSONPath``.
final class ResolverRecordView: SigmaRecordView {
    private(set) var query: ResolverQuery!

    func reset(_ query: ResolverQuery) { self.query = query }

    func anyValue(at path: FieldPath, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard case .resolver(let field, let keys) = path else { return false }
        let text = query[field]
        guard text.isPresent else { return false }
        guard !keys.isEmpty else { return body(text.bytes) }
        return RawJSONPath.anyValue(in: text.bytes, path: keys[...]) { value, kind in kind == .scalar && body(value) }
    }

    func exists(_ path: FieldPath) -> Bool {
        guard case .resolver(let field, let keys) = path else { return false }
        let text = query[field]
        guard text.isPresent else { return false }
        guard !keys.isEmpty else { return true }
        return RawJSONPath.anyValue(in: text.bytes, path: keys[...]) { _, kind in kind != .null }
    }

    func address(at path: FieldPath) -> IPAddress? { nil }
}
