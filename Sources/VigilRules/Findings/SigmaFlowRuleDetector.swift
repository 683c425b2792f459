import VigilDetection
import VigilLogs
import VigilModel

/// Runs one Sigma rule of `service: vpcflowlogs` over an account's flow records: a finding per
/// match about the instance (or interface) whose traffic matched, aggregated per remote address.
/// Reads every logged record with both addresses; stateless.
public final class SigmaFlowRuleDetector: FlowLogDetector {
    public let rule: SigmaRule
    public let type: FindingType
    public var name: String { "sigma:\(rule.id ?? rule.title)" }
    public var findingTypes: [FindingType] { [type] }
    private let view = FlowRecordView()
    private let details: [String: String]
    private let named: String

    /// The rule's condition and searches, held here so evaluating them copies nothing.
    private let condition: CompiledCondition
    private let searches: [SigmaSearch]

    public init(rule: SigmaRule) {
        self.rule = rule
        condition = rule.compiled
        searches = rule.ordered
        type = RuleFindingType.make(title: rule.title, tactics: rule.tactics, id: rule.id, source: .flowLogs)
        details = RuleFindingDetails.of(rule)
        named = "Sigma rule \"\(rule.title)\"\(rule.id.map { " (\($0))" } ?? "") matched"
    }

    public func inspect(_ record: inout FlowRecord, source: LogSource, into sink: FindingSink) {
        let matched = withUnsafePointer(to: &record) { pointer in
            view.reset(pointer)
            return condition.evaluate(searches, view)
        }
        guard matched, let context = FlowContext(record, source: source, allowPrivateRemote: true) else { return }
        var observation = context.observation(
            type, severity: rule.level.severity, role: context.outbound ? .actor : .target, title: rule.title,
            description: "\(named): \(context.resourceKey) \(context.outbound ? "to" : "from") \(context.remote)\(context.remotePort.map { " port \($0)" } ?? "") (\(record.action == .reject ? "rejected" : "accepted")).")
        observation.details = details
        sink.report(observation)
    }
}
