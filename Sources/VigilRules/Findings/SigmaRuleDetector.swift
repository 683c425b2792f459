import Foundation
import VigilDetection
import VigilLogs
import VigilModel

/// Runs one Sigma rule over an account's CloudTrail events and reports a finding for each match.
///
/// Routed by the event names the rule pins, so a rule about `UpdateLoginProfile` costs nothing on
/// other events. Matches aggregate per principal: one finding per rule and user (or role, for its
/// sessions — a role's every session is not a finding of its own), whose count grows. A repeat of
/// a finding already held counts without a new observation (``FindingSink/reportRepeat``): the
/// finding keeps the details of the sighting that made it in the batch, and its count, last time
/// and evidence follow every match. The detector keeps only a reused view of the event and, per
/// principal, the handle of its finding (at most ``HeldFindings/limit``), so that a rule matching four
/// events in ten counts each without building the identity's strings again.
public final class SigmaRuleDetector: CloudTrailDetector {
    public var rule: SigmaRule { compiled.rule }
    public var type: FindingType { compiled.type }
    public var name: String { compiled.detectorName }
    public var findingTypes: [FindingType] { [compiled.type] }
    public var eventNames: Set<String>? { compiled.rule.eventNames }
    private let compiled: CompiledRule
    private let view = CloudTrailRecordView()
    /// The finding identity's actor: the rule.
    private let actor: String

    public convenience init(rule: SigmaRule) {
        self.init(CompiledRule(rule))
    }

    /// A detector of a rule compiled already (shared with other accounts' detectors).
    init(_ compiled: CompiledRule) {
        self.compiled = compiled
        actor = compiled.detectorName
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        view.reset(event)
        guard compiled.matches(view, event: event) else { return }
        let type = compiled.type
        // The role for its sessions (a role's every session is not a finding of its own), else the caller.
        let principal = event.sessionIssuerArn.isPresent ? event.sessionIssuerArn : context.principalText
        let account = event.account(in: context.source)
        // A repeat of a finding held only counts (the common case for a rule that matches often).
        if let handle = held.handle(principal: principal, account: account, region: event.awsRegion),
           sink.countRepeat(handle, time: event.eventTime, eventId: event.eventID,
                            location: { "\(context.source.path):\(event.location)" }) {
            return
        }
        let accountId = account.description, region = context.region
        let identity = Observation.Identity(resource: principal?.string ?? CloudTrailContext.unknownPrincipal, actor: actor)
        if let handle = sink.reportRepeat(type, accountId: accountId, region: region, identity: identity, time: event.eventTime,
                                          eventId: event.eventID, location: { "\(context.source.path):\(event.location)" }) {
            held.hold(handle, principal: principal, account: account, region: event.awsRegion)
            return
        }
        let api = event.eventName.string ?? "an API"
        sink.report(context.observation(
            type, severity: compiled.rule.level.severity,
            title: compiled.rule.title,
            description: compiled.named + ": \(context.principalDescription) called \(api) \(context.originDescription)." + compiled.explained,
            identity: identity,
            details: compiled.details))
    }

    /// Handles on this rule's findings, by principal, account and region.
    private var held = HeldFindings()
}
