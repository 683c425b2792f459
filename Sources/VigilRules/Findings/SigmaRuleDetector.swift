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
/// principal, the handle of its finding (at most ``heldLimit``), so that a rule matching four
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
        let sighting = HeldFinding.key(principal: principal, account: account, region: event.awsRegion)
        // A repeat of a finding held only counts (the common case for a rule that matches often);
        // the principal's bytes are compared, not only their hash, before its handle is used.
        if let index = held[sighting], heldFindings[index].describes(principal: principal, account: account, event: event, source: context.source),
           sink.countRepeat(heldFindings[index].handle, time: event.eventTime, eventId: event.eventID,
                            location: { "\(context.source.path):\(event.location)" }) {
            return
        }
        let accountId = account.description, region = context.region
        let identity = Observation.Identity(resource: principal?.string ?? CloudTrailContext.unknownPrincipal, actor: actor)
        if let handle = sink.reportRepeat(type, accountId: accountId, region: region, identity: identity, time: event.eventTime,
                                          eventId: event.eventID, location: { "\(context.source.path):\(event.location)" }) {
            if heldFindings.count >= Self.heldLimit {
                held.removeAll(keepingCapacity: true)
                heldFindings.removeAll(keepingCapacity: true)
            }
            held[sighting] = heldFindings.count
            heldFindings.append(HeldFinding(resource: identity.resource, account: account, region: region, handle: handle))
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

    /// Most principals whose findings' handles are kept (the rest are found by identity).
    static let heldLimit = 4096
    /// Handles on this rule's findings (``heldFindings``, read in place) by principal, account and
    /// region (hashed; checked by ``HeldFinding/describes``).
    private var held: [UInt64: Int] = [:]
    private var heldFindings: [HeldFinding] = []

    /// A finding of this rule the sink holds, with what it is for.
    struct HeldFinding {
        let resource: String
        let account: AccountID
        let region: String
        let handle: RepeatHandle

        /// A 64-bit key of the three (the entry it finds is compared byte for byte, so a collision
        /// costs a lookup, never a wrong count).
        static func key(principal: RawText?, account: AccountID, region: RawText) -> UInt64 {
            let seed = WordHash.hash(region.bytes, seed: account.number)
            return principal.map { WordHash.hash($0.bytes, seed: seed) } ?? seed
        }

        /// Whether this is the finding for `principal` in `account` and the event's region.
        func describes(principal: RawText?, account: AccountID, event: CloudTrailEvent, source: LogSource) -> Bool {
            guard account == self.account else { return false }
            let sameRegion = event.awsRegion.isPresent ? Self.equal(event.awsRegion, region) : region == event.region(in: source)
            guard sameRegion else { return false }
            return principal.map { Self.equal($0, resource) } ?? (resource == CloudTrailContext.unknownPrincipal)
        }

        private static func equal(_ raw: RawText, _ text: String) -> Bool {
            // Native strings (these are made from log bytes) lend their bytes without a copy.
            text.utf8.withContiguousStorageIfAvailable { utf8 in
                utf8.count == raw.count && (raw.count == 0 || memcmp(utf8.baseAddress!, raw.start!, raw.count) == 0)
            } ?? text.utf8.elementsEqual(raw.bytes)
        }
    }
}
