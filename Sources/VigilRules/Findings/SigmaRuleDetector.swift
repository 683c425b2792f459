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
    public let rule: SigmaRule
    public let type: FindingType
    public var name: String { "sigma:\(rule.id ?? rule.title)" }
    public var findingTypes: [FindingType] { [type] }
    public var eventNames: Set<String>? { rule.eventNames }
    private let view = CloudTrailRecordView()
    private let details: [String: String]
    /// The constant parts of every finding's description, made once.
    private let named: String, explained: String
    private let actor: String

    /// The rule's condition and searches, held here so evaluating them copies nothing.
    private let condition: CompiledCondition
    private let searches: [SigmaSearch]

    public init(rule: SigmaRule) {
        self.rule = rule
        condition = rule.compiled
        searches = rule.ordered
        type = RuleFindingType.make(title: rule.title, tactics: rule.tactics, id: rule.id)
        details = RuleFindingDetails.of(rule)
        named = "Sigma rule \"\(rule.title)\"\(rule.id.map { " (\($0))" } ?? "") matched: "
        explained = rule.description.map { " \($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""
        actor = "sigma:\(rule.id ?? rule.title)"
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        view.reset(event)
        guard condition.evaluate(searches, view) else { return }
        let identity = Observation.Identity(resource: event.sessionIssuerArn.string ?? context.principalKey, actor: actor)
        // A repeat of a finding held only counts (the common case for a rule that matches often).
        if sink.reportRepeat(type, accountId: context.accountId, region: context.region, identity: identity, time: event.eventTime,
                             eventId: event.eventID, location: { "\(context.source.path):\(event.location)" }) { return }
        let api = event.eventName.string ?? "an API"
        sink.report(context.observation(
            type, severity: rule.level.severity,
            title: rule.title,
            description: named + "\(context.principalDescription) called \(api) \(context.originDescription)." + explained,
            identity: identity,
            details: details))
    }
}

/// What a rule's findings say about the rule (`service.additionalInfo`).
enum RuleFindingDetails {
    static func of(_ rule: SigmaRule) -> [String: String] {
        var details = ["ruleTitle": rule.title, "ruleLevel": rule.level.rawValue, "ruleFile": rule.file]
        if let id = rule.id { details["ruleId"] = id }
        if !rule.tags.isEmpty { details["ruleTags"] = rule.tags.joined(separator: ", ") }
        if !rule.references.isEmpty { details["ruleReferences"] = rule.references.joined(separator: " ") }
        if !rule.falsePositives.isEmpty { details["ruleFalsePositives"] = rule.falsePositives.joined(separator: "; ") }
        if let author = rule.author { details["ruleAuthor"] = author }
        return details
    }
}
