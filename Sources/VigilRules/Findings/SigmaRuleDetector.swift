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
        let principal = Self.principal(of: event)
        let account = event.account(in: context.source)
        let sighting = HeldFinding.key(principal: principal, account: account, region: event.awsRegion)
        // A repeat of a finding held only counts (the common case for a rule that matches often);
        // the principal's bytes are compared, not only their hash, before its handle is used.
        if let index = held.index(of: sighting), heldFindings[index].describes(principal: principal, account: account, region: event.awsRegion, source: context.source),
           sink.countRepeat(heldFindings[index].handle, time: event.eventTime, eventId: event.eventID,
                            location: { "\(context.source.path):\(event.location)" }) {
            return
        }
        let accountId = account.description, region = context.region
        let identity = Observation.Identity(resource: principal?.string ?? "unknown-principal", actor: actor)
        if let handle = sink.reportRepeat(type, accountId: accountId, region: region, identity: identity, time: event.eventTime,
                                          eventId: event.eventID, location: { "\(context.source.path):\(event.location)" }) {
            if heldFindings.count >= Self.heldLimit {
                held.removeAll()
                heldFindings.removeAll(keepingCapacity: true)
            }
            held.insert(sighting, index: heldFindings.count)
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
    private var held = HeldIndex()
    private var heldFindings: [HeldFinding] = []

    /// The bytes naming the finding's principal: the role for its sessions, else the caller, as
    /// ``CloudTrailContext/principalKey`` names it; `nil` when the event names none.
    private static func principal(of event: CloudTrailEvent) -> RawText? {
        if event.sessionIssuerArn.isPresent { return event.sessionIssuerArn }
        if event.identityArn.isPresent { return event.identityArn }
        if event.principalId.isPresent { return event.principalId }
        if event.identityType.isPresent { return event.identityType }
        return nil
    }

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

        /// Whether this is the finding for `principal` in `account` and `region` (as the event has them).
        func describes(principal: RawText?, account: AccountID, region: RawText, source: LogSource) -> Bool {
            guard account == self.account else { return false }
            let sameRegion = region.isPresent ? Self.equal(region, self.region) : self.region == source.layout?.region ?? "us-east-1"
            guard sameRegion else { return false }
            return principal.map { Self.equal($0, resource) } ?? (resource == "unknown-principal")
        }

        private static func equal(_ raw: RawText, _ text: String) -> Bool {
            // Native strings (these are made from log bytes) lend their bytes without a copy.
            text.utf8.withContiguousStorageIfAvailable { utf8 in
                utf8.count == raw.count && (raw.count == 0 || memcmp(utf8.baseAddress!, raw.start!, raw.count) == 0)
            } ?? text.utf8.elementsEqual(raw.bytes)
        }
    }

    /// Positions in ``heldFindings`` by key: open addressing over keys already mixed (a
    /// dictionary would hash them again), at most half full, growing from 16 slots as principals come.
    struct HeldIndex {
        private var keys: [UInt64] = Array(repeating: 0, count: 16)
        private var positions: [Int32] = Array(repeating: 0, count: 16)
        private var count = 0

        func index(of key: UInt64) -> Int? {
            let key = key == 0 ? 1 : key  // 0 marks an empty slot
            let mask = keys.count - 1
            var i = Int(truncatingIfNeeded: key) & mask
            while keys[i] != 0 {
                if keys[i] == key { return Int(positions[i]) }
                i = (i + 1) & mask
            }
            return nil
        }

        /// Adds `key` (or moves it to `index`).
        mutating func insert(_ key: UInt64, index: Int) {
            if (count + 1) * 2 > keys.count {
                let old = zip(keys, positions).filter { $0.0 != 0 }
                keys = Array(repeating: 0, count: keys.count * 2)
                positions = Array(repeating: 0, count: keys.count)
                count = 0
                for (k, p) in old { place(k, Int(p)) }
            }
            place(key == 0 ? 1 : key, index)
        }

        private mutating func place(_ key: UInt64, _ index: Int) {
            let mask = keys.count - 1
            var i = Int(truncatingIfNeeded: key) & mask
            while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
            if keys[i] == 0 { count += 1 }
            keys[i] = key
            positions[i] = Int32(index)
        }

        mutating func removeAll() {
            self = HeldIndex()
        }
    }
}
