import Foundation
import VigilModel

/// The rules every store applies when a finding is stored again or given feedback, so SQLite and
/// PostgreSQL keep the same findings whatever the order of the sightings.
public enum FindingRevision {
    /// What a store holds for a finding beside its JSON.
    public struct Stored: Sendable {
        public var finding: Finding
        public var archived: Bool
        /// The severity the detectors gave (feedback may lower the shown one).
        public var detectedSeverity: Double?
        public var feedback: String?

        public init(finding: Finding, archived: Bool, detectedSeverity: Double?, feedback: String?) {
            self.finding = finding
            self.archived = archived
            self.detectedSeverity = detectedSeverity
            self.feedback = feedback
        }
    }

    /// A finding as it is to be written.
    public struct Revised: Sendable {
        public var finding: Finding
        public var archived: Bool
        public var detectedSeverity: Double
        /// Whether no finding had this ID before.
        public var isNew: Bool
    }

    /// `incoming` merged into what was stored under its ID (`nil`: nothing was).
    public static func merge(_ incoming: Finding, into stored: Stored?) -> Revised {
        guard let stored else { return Revised(finding: incoming, archived: false, detectedSeverity: incoming.severity, isNew: true) }
        var finding = combine(stored.finding, incoming)
        if stored.feedback == "NOT_USEFUL" { finding.severity = min(finding.severity, stored.finding.severity) }
        return Revised(finding: finding, archived: stored.archived,
                       detectedSeverity: max(stored.detectedSeverity ?? stored.finding.severity, incoming.severity), isNew: false)
    }

    /// The stored finding seen again: counts add up, first and last seen widen, the latest
    /// sighting's details win.
    public static func combine(_ stored: Finding, _ incoming: Finding) -> Finding {
        let newer = (incoming.service?.eventLastSeen ?? "") >= (stored.service?.eventLastSeen ?? "")
        var result = newer ? incoming : stored
        result.createdAt = min(stored.createdAt, incoming.createdAt)
        result.updatedAt = max(stored.updatedAt, incoming.updatedAt)
        result.severity = max(stored.severity, incoming.severity)
        result.associatedAttackSequenceArn = incoming.associatedAttackSequenceArn ?? stored.associatedAttackSequenceArn
        if var service = result.service {
            // CloudTrail may deliver an event twice (and a file may be ingested and watched): a
            // sighting whose triggering events are all already counted adds nothing.
            let known = Set(triggeringEventIds(stored))
            let seen = triggeringEventIds(incoming)
            let repeated = !seen.isEmpty && seen.allSatisfy(known.contains)
            service.count = (stored.service?.count ?? 0) + (repeated ? 0 : (incoming.service?.count ?? 0))
            if repeated { result.updatedAt = stored.updatedAt }
            let firsts = [stored.service?.eventFirstSeen, incoming.service?.eventFirstSeen].compactMap { $0 }
            let lasts = [stored.service?.eventLastSeen, incoming.service?.eventLastSeen].compactMap { $0 }
            service.eventFirstSeen = firsts.min()
            service.eventLastSeen = lasts.max()
            service.userFeedback = stored.service?.userFeedback ?? service.userFeedback
            result.service = service
        }
        return result
    }

    static func triggeringEventIds(_ finding: Finding) -> [String] {
        guard let text = finding.service?.additionalInfo?.value,
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [] }
        return object["triggeringEventIds"] as? [String] ?? []
    }

    /// `stored` after a user's feedback: `NOT_USEFUL` lowers the shown severity (and may archive,
    /// ``FeedbackRule``), `USEFUL` restores the detected one.
    public static func feedback(_ feedback: String, on stored: Stored) -> Revised {
        var finding = stored.finding
        let detected = stored.detectedSeverity ?? finding.severity
        var archived = stored.archived
        finding.service?.userFeedback = feedback
        if feedback == "NOT_USEFUL" {
            let demoted = FeedbackRule.demoted(detected)
            finding.severity = demoted.severity
            archived = archived || demoted.archive
        } else {
            finding.severity = detected
        }
        return Revised(finding: finding, archived: archived, detectedSeverity: detected, isNew: false)
    }

    /// The JSON a store keeps for `finding` (keys sorted, so equal findings store equal text).
    public static func body(_ finding: Finding) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(finding), as: UTF8.self)
    }

    /// A stored JSON body read back; `nil` if it no longer decodes.
    public static func decode(_ body: String) -> Finding? {
        try? JSONDecoder().decode(Finding.self, from: Data(body.utf8))
    }
}
