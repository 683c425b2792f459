import Foundation
import VigilDetection
import VigilLogs
import VigilModel

/// Runs one Sigma rule over an account's CloudTrail events and reports a finding for each match.
///
/// Routed by the event names the rule pins, so a rule about `UpdateLoginProfile` costs nothing on
/// other events. Matches aggregate per principal: one finding per rule and user (or role, for its
/// sessions — a role's every session is not a finding of its own), whose count grows. Stateless
/// apart from a reused view of the event. A repeat of a finding already held counts without a
/// new observation (``FindingSink/reportRepeat``): the finding keeps the details of the sighting
/// that made it in the batch, and its count, last time and evidence follow every match.
public final class SigmaRuleDetector: CloudTrailDetector {
    public var rule: SigmaRule { compiled.rule }
    public var type: FindingType { compiled.type }
    public var name: String { compiled.detectorName }
    public var findingTypes: [FindingType] { [compiled.type] }
    public var eventNames: Set<String>? { compiled.rule.eventNames }
    private let compiled: CompiledRule
    private let view = CloudTrailRecordView()
    /// The constant parts of every finding's description and identity, made once.
    private let named: String, explained: String, actor: String

    public init(rule: SigmaRule) {
        compiled = CompiledRule(rule)
        named = compiled.named + ": "
        explained = rule.description.map { " \($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""
        actor = compiled.detectorName
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        view.reset(event)
        guard compiled.matches(view) else { return }
        let identity = Observation.Identity(resource: event.sessionIssuerArn.string ?? context.principalKey, actor: actor)
        // A repeat of a finding held only counts (the common case for a rule that matches often).
        let type = compiled.type
        if sink.reportRepeat(type, accountId: context.accountId, region: context.region, identity: identity, time: event.eventTime,
                             eventId: event.eventID, location: { "\(context.source.path):\(event.location)" }) { return }
        let api = event.eventName.string ?? "an API"
        sink.report(context.observation(
            type, severity: compiled.rule.level.severity,
            title: compiled.rule.title,
            description: named + "\(context.principalDescription) called \(api) \(context.originDescription)." + explained,
            identity: identity,
            details: compiled.details))
    }
}
