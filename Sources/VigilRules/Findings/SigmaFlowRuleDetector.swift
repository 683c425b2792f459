import VigilDetection
import VigilLogs
import VigilModel

/// Runs one Sigma rule of `service: vpcflowlogs` over an account's flow records: a finding per
/// match about the instance (or interface) whose traffic matched, aggregated per remote address.
/// Reads every logged record with both addresses; stateless.
public final class SigmaFlowRuleDetector: FlowLogDetector {
    public var rule: SigmaRule { compiled.rule }
    public var type: FindingType { compiled.type }
    public var name: String { compiled.detectorName }
    public var findingTypes: [FindingType] { [compiled.type] }
    private let compiled: CompiledRule
    private let view = FlowRecordView()

    public convenience init(rule: SigmaRule) {
        self.init(CompiledRule(rule))
    }

    /// A detector of a rule compiled already (shared with other accounts' detectors).
    init(_ compiled: CompiledRule) {
        self.compiled = compiled
    }

    public func inspect(_ record: inout FlowRecord, source: LogSource, into sink: FindingSink) {
        let matched = withUnsafePointer(to: &record) { pointer in
            view.reset(pointer)
            return compiled.matches(view)
        }
        guard matched, let context = FlowContext(record, source: source, allowPrivateRemote: true) else { return }
        var observation = context.observation(
            compiled.type, severity: compiled.rule.level.severity, role: context.outbound ? .actor : .target, title: compiled.rule.title,
            description: "\(compiled.named): \(context.resourceKey) \(context.outbound ? "to" : "from") \(context.remote)\(context.remotePort.map { " port \($0)" } ?? "") (\(record.action == .reject ? "rejected" : "accepted")).")
        observation.details = compiled.details
        sink.report(observation)
    }
}
