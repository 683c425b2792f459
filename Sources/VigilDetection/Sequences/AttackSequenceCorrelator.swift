import Foundation
import VigilModel

/// Correlates one account's findings into attack sequences: `AttackSequence:IAM/CompromisedCredentials`,
/// or `AttackSequence:S3/CompromisedData` when the sequence reaches S3 buckets (Critical, 9.0).
///
/// Every CloudTrail finding about a principal's credentials is a signal of that principal (its
/// `principalId`: a user, or one role session) in the finding's region. A sequence is raised when, within 24 hours of event
/// time, one principal's signals number at least three, span at least two ATT&CK tactics, and
/// include a High-severity signal or one that says the credentials are in the wrong hands (a
/// malicious or Tor address, a penetration-testing system, credentials taken off a resource, an
/// anomaly of the principal's own behaviour). The sequence finding carries
/// `service.detection.sequence` as botocore defines it (signals, indicators, actors, endpoints,
/// resources) and is updated as signals join it; each signal's finding gets
/// `associatedAttackSequenceArn`. A principal quiet for 24 hours closes its sequence; a later one
/// is a new sequence.
///
/// Bounded: at most ``maximumActors`` principals (the least recently active are dropped) and 100
/// signals each (botocore's limit; the oldest drop out). Not thread-safe: one per account analysis.
public final class AttackSequenceCorrelator {
    public static let window: Int64 = 86_400 * 1000
    public static let maximumActors = 10_000
    public static let maximumSignals = 100
    public static let compromisedCredentials = FindingType.attackSequenceIAMCompromisedCredentials
    public static let compromisedData = FindingType.custom("AttackSequence:S3/CompromisedData")

    private struct ActorState {
        /// Recent signals, candidates for a sequence (pruned to the last 24 hours of activity).
        var signals: [String: SequenceSignal] = [:]
        var last: Timestamp
        /// The open sequence: its finding ID and ARN, when it began, and its signals.
        var sequence: OpenSequence?
        /// Signals already told their sequence.
        var associated: Set<String> = []
    }

    private struct OpenSequence {
        let id: String
        let arn: String
        let opened: Timestamp
        var members: [String: SequenceSignal]
        var last: Timestamp { members.values.map(\.last).max() ?? opened }
    }

    private var actors: [String: ActorState] = [:]
    private var signalTraits = SignalTraits.Cache()
    /// Findings of earlier batches that joined a sequence since the last ``takeAssociations()``:
    /// finding ID → its account and the sequence's ARN.
    private var associations: [String: SequenceAssociation] = [:]

    public init() {}

    /// Takes one batch of the account's findings (as its aggregator drained them) and returns it
    /// with the signals of sequences referencing them, followed by the sequences raised or
    /// updated by the batch.
    public func correlate(_ findings: consuming [Finding]) -> [Finding] {
        var findings = findings
        correlate(&findings, from: 0)
        return findings
    }

    /// As ``correlate(_:)`` for the batch `findings[start...]`, in place: its signals of sequences
    /// are marked where they lie and the sequences are appended, so no finding is copied.
    public func correlate(_ findings: inout [Finding], from start: Int) {
        // The signals of the batch with their actors, oldest activity first, so a sequence forms,
        // grows and closes in event-time order. (Indices into `findings`: no finding is copied.)
        var batch: [(index: Int, key: String, signal: SequenceSignal)] = []
        for index in start..<findings.count {
            guard let signal = SequenceSignal(findings[index], traits: signalTraits.traits(of: findings[index].type)), let key = Self.actorKey(findings[index]) else { continue }
            batch.append((index, key, signal))
        }
        guard !batch.isEmpty else { return }
        batch.sort { ($0.signal.last, $0.signal.findingId) < ($1.signal.last, $1.signal.findingId) }
        var touched: [String] = []
        /// The latest finding of each touched actor in the batch: what its sequence is written from.
        var latest: [String: Int] = [:]
        for (index, key, signal) in batch {
            // Taken out of the table while it changes, so its collections are not copied on write.
            var state = actors.removeValue(forKey: key) ?? ActorState(last: signal.last)
            if let sequence = state.sequence, signal.first.millisecondsSinceEpoch - sequence.last.millisecondsSinceEpoch > Self.window {
                // Quiet for a day: the sequence closed; this is a new story.
                state = ActorState(last: signal.last)
            }
            Self.add(signal, to: &state.signals)
            if state.sequence != nil { Self.add(signal, to: &state.sequence!.members) }
            if signal.last > state.last { state.last = signal.last }
            actors[key] = state
            if latest.updateValue(index, forKey: key) == nil { touched.append(key) }
        }
        var raised: [Finding] = []
        var referenced: [Int: String] = [:]
        let batchIds = Dictionary(batch.map { ($0.signal.findingId, $0.index) }, uniquingKeysWith: { a, _ in a })
        for key in touched {
            guard let sampleIndex = latest[key], var state = actors.removeValue(forKey: key) else { continue }
            let sample = findings[sampleIndex]
            if state.sequence == nil, let window = Self.qualifyingWindow(Array(state.signals.values)) {
                let opened = window.map(\.first).min() ?? state.last
                let id = StableIdentifier.hex(["attack-sequence", sample.accountId, key, String(opened.millisecondsSinceEpoch)])
                let detectorId = sample.service?.detectorId ?? StableIdentifier.detector(accountId: sample.accountId, region: sample.region)
                let arn = Finding.arn(partition: sample.partition ?? "aws", region: sample.region, accountId: sample.accountId,
                                      detectorId: detectorId, findingId: id)
                state.sequence = OpenSequence(id: id, arn: arn, opened: opened, members: Dictionary(uniqueKeysWithValues: window.map { ($0.findingId, $0) }))
            }
            Self.prune(&state)
            if let sequence = state.sequence, sequence.members.keys.contains(where: { batchIds[$0] != nil }) {
                raised.append(makeSequence(key: key, state: state, sequence: sequence, sample: sample))
                for signalId in sequence.members.keys {
                    if let index = batchIds[signalId] {
                        referenced[index] = sequence.arn
                    } else if !state.associated.contains(signalId) {
                        associations[signalId] = SequenceAssociation(accountId: sample.accountId, findingId: signalId, sequenceArn: sequence.arn)
                    }
                    state.associated.insert(signalId)
                }
            }
            actors[key] = state
        }
        if actors.count > Self.maximumActors { evict() }
        // Every signal of an open sequence in the batch names it.
        for (index, arn) in referenced { findings[index].associatedAttackSequenceArn = arn }
        findings.append(contentsOf: raised)
    }

    /// Findings of earlier batches that joined a sequence, for the store to record; emptied by
    /// the call.
    public func takeAssociations() -> [SequenceAssociation] {
        defer { associations.removeAll() }
        return associations.values.sorted { $0.findingId < $1.findingId }
    }

    /// The actor a finding is about: the principal (a user, or one role session), in the
    /// finding's region — sequences are regional, as findings and their detectors are, so every
    /// signal of a sequence is read through the same detector.
    static func actorKey(_ finding: Finding) -> String? {
        finding.resource.accessKeyDetails.flatMap { $0.principalId ?? $0.accessKeyId ?? $0.userName }.map { "\($0)\u{1F}\(finding.region)" }
    }

    private static func add(_ signal: SequenceSignal, to signals: inout [String: SequenceSignal]) {
        if var known = signals[signal.findingId] {
            known.merge(signal)
            signals[signal.findingId] = known
        } else {
            signals[signal.findingId] = signal
        }
    }

    /// The latest 24-hour window whose signals make a sequence: at least three signals, two
    /// tactics, and a High one or one saying the credentials are in the wrong hands. A signal
    /// (a finding, which may span days) is in a window when its activity overlaps it.
    static func qualifyingWindow(_ signals: [SequenceSignal]) -> [SequenceSignal]? {
        // What no window can have if the whole set has not (most principals stop here).
        guard signals.count >= 3, Set(signals.compactMap(\.tactic)).count >= 2,
              signals.contains(where: { $0.severity >= 7 || $0.isAccessSignal }) else { return nil }
        for end in Set(signals.map(\.last)).sorted(by: >) {
            let start = end.millisecondsSinceEpoch - window
            let inside = signals.filter { $0.first <= end && $0.last.millisecondsSinceEpoch >= start }
            guard inside.count >= 3, Set(inside.compactMap(\.tactic)).count >= 2,
                  inside.contains(where: { $0.severity >= 7 || $0.isAccessSignal }) else { continue }
            return inside
        }
        return nil
    }

    /// Keeps the candidates of the last 24 hours of activity (at most ``maximumSignals``), and a
    /// sequence's own signals up to the same cap.
    private static func prune(_ state: inout ActorState) {
        let oldest = state.last.millisecondsSinceEpoch - window
        state.signals = state.signals.filter { $0.value.last.millisecondsSinceEpoch >= oldest }
        state.signals = capped(state.signals)
        if let members = state.sequence?.members { state.sequence?.members = capped(members) }
    }

    private static func capped(_ signals: [String: SequenceSignal]) -> [String: SequenceSignal] {
        guard signals.count > maximumSignals else { return signals }
        let kept = signals.values.sorted { $0.last > $1.last }.prefix(maximumSignals)
        return Dictionary(uniqueKeysWithValues: kept.map { ($0.findingId, $0) })
    }

    private func evict() {
        let kept = actors.sorted { $0.value.last > $1.value.last }.prefix(Self.maximumActors * 3 / 4)
        actors = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
    }

    private func makeSequence(key: String, state: ActorState, sequence open: OpenSequence, sample: Finding) -> Finding {
        let signals = open.members.values.sorted { ($0.first, $0.findingId) < ($1.first, $1.findingId) }
        let first = signals.map(\.first).min() ?? state.last
        let last = signals.map(\.last).max() ?? state.last
        let s3 = signals.contains { $0.bucket != nil || $0.type.contains(":S3/") }
        let type = s3 ? Self.compromisedData : Self.compromisedCredentials
        let opened = open.opened
        let id = open.id, arn = open.arn
        let detectorId = sample.service?.detectorId ?? StableIdentifier.detector(accountId: sample.accountId, region: sample.region)

        let details = sample.resource.accessKeyDetails
        let principal = details?.userName ?? details?.principalId ?? key
        let actorId = details?.principalId ?? key
        let actor = SequenceActor(
            id: actorId,
            user: SequenceUser(name: principal, uid: actorId, type: details?.userType ?? "Unknown", credentialUid: details?.accessKeyId,
                               account: SequenceAccount(uid: sample.accountId)),
            session: details?.accessKeyId.map { SequenceSession(uid: $0) })
        var resources: [SequenceResource] = []
        if let accessKey = details?.accessKeyId {
            resources.append(SequenceResource(uid: accessKey, name: principal, accountId: sample.accountId, resourceType: "ACCESS_KEY",
                                              region: sample.region, service: "IAM", cloudPartition: sample.partition))
        }
        for bucket in Set(signals.compactMap(\.bucket)).sorted() {
            resources.append(SequenceResource(uid: bucket, name: bucket, accountId: sample.accountId, resourceType: "S3_BUCKET",
                                              region: sample.region, service: "S3", cloudPartition: sample.partition))
        }
        var endpoints: [String: NetworkEndpoint] = [:]
        for signal in signals {
            guard let address = signal.remoteAddress else { continue }
            endpoints[address] = NetworkEndpoint(id: address, ip: address, autonomousSystem: signal.autonomousSystem ?? endpoints[address]?.autonomousSystem)
        }
        let accessKey = details?.accessKeyId
        let wire = signals.map { signal -> Signal in
            let seconds = { (t: Timestamp) in Double(t.millisecondsSinceEpoch) / 1000 }
            let touched = [accessKey, signal.bucket].compactMap { $0 }
            return Signal(uid: signal.findingId, type: "FINDING", description: String(signal.title.prefix(2000)), name: signal.type,
                          createdAt: seconds(signal.first), updatedAt: seconds(signal.last), firstSeenAt: seconds(signal.first),
                          lastSeenAt: seconds(signal.last), severity: signal.severity, count: signal.count,
                          resourceUids: touched.isEmpty ? nil : touched,
                          actorIds: [actorId], endpointIds: signal.remoteAddress.map { [$0] },
                          signalIndicators: signal.indicators.isEmpty ? nil : signal.indicators)
        }
        var merged: [String: Set<String>] = [:]
        for indicator in signals.flatMap(\.indicators) { merged[indicator.key, default: []].formUnion(indicator.values ?? []) }
        let indicators = merged.keys.sorted().map { Indicator(key: $0, values: Array(merged[$0]!.sorted().prefix(400)), title: nil) }
        let tactics = Set(signals.compactMap(\.tactic)).sorted()
        let description = "\(signals.count) findings about \(principal)'s credentials within 24 hours span \(tactics.count) attack tactics (\(tactics.joined(separator: ", "))): "
            + signals.prefix(8).map(\.type).joined(separator: "; ") + (signals.count > 8 ? "; …" : "")
            + (s3 ? ". S3 buckets were reached: \(Set(signals.compactMap(\.bucket)).sorted().joined(separator: ", "))." : ".")
        let sequence = AttackSequence(
            uid: id, description: String(description.prefix(4096)), actors: [actor], resources: resources,
            endpoints: endpoints.keys.sorted().map { endpoints[$0]! }, signals: Array(wire.prefix(Self.maximumSignals)),
            sequenceIndicators: indicators, additionalSequenceTypes: s3 ? [Self.compromisedCredentials.name] : nil)
        var info: [String: [String]] = ["signals": signals.map(\.findingId)]
        info["tactics"] = tactics
        let service = Service(
            action: sample.service?.action, archived: false, count: signals.reduce(0) { $0 + $1.count }, detectorId: detectorId,
            eventFirstSeen: first.iso8601, eventLastSeen: last.iso8601, resourceRole: "TARGET", serviceName: "guardduty",
            additionalInfo: ServiceAdditionalInfo(value: JSONText.object(strings: ["principal": principal], lists: info), type: "default"),
            detection: Detection(sequence: sequence))
        return Finding(
            accountId: sample.accountId, arn: arn, createdAt: opened.iso8601,
            description: String(description.prefix(4096)), id: id, partition: sample.partition, region: sample.region,
            resource: Resource(accessKeyDetails: details, resourceType: "AccessKey"), service: service, severity: 9.0,
            title: s3 ? "Potential data compromise of S3 by \(principal)'s credentials." : "Potential compromise of \(principal)'s credentials: a sequence of \(signals.count) suspicious activities.",
            type: type.name, updatedAt: last.iso8601)
    }
}

/// A finding of an earlier batch that became a signal of an attack sequence: its stored copy
/// should name the sequence (``Finding/associatedAttackSequenceArn``).
public struct SequenceAssociation: Sendable, Hashable {
    public let accountId: String
    public let findingId: String
    public let sequenceArn: String
}
