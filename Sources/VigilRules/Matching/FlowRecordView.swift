import VigilLogs
import VigilModel

/// A flow record as a rule reads it, through a pointer valid during one ``SigmaFlowRuleDetector``
/// call (the engine hands records `inout` so they are not copied per detector).
final class FlowRecordView: SigmaRecordView {
    private var record: UnsafePointer<FlowRecord>?

    func reset(_ record: UnsafePointer<FlowRecord>) { self.record = record }

    func anyValue(at path: FieldPath, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard case .flow(let field) = path, let record else { return false }
        return field.withText(record.pointee, body)
    }

    func exists(_ path: FieldPath) -> Bool { anyValue(at: path) { _ in true } }

    func address(at path: FieldPath) -> IPAddress? {
        guard case .flow(let field) = path, let record else { return nil }
        return field.address(record.pointee)
    }
}
