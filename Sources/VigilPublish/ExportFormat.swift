import Foundation
import VigilModel

/// How a finding is written to a file or a webhook: GuardDuty's EventBridge event (the default),
/// the AWS Security Finding Format, or an OCSF Detection Finding.
public enum ExportFormat: String, Sendable, Codable, CaseIterable {
    case guardDuty = "guardduty"
    case asff
    case ocsf

    /// A finding as a publishing destination stores it: GuardDuty's finding JSON itself (not the
    /// event around it), or the ASFF or OCSF document.
    public func destinationLine(event: String) -> String? {
        guard self == .guardDuty else { return render(event: event) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any], let detail = object["detail"],
              let data = try? JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The text to deliver for an outbox event (a GuardDuty Finding event); `nil` when the event
    /// does not hold a finding.
    public func render(event: String) -> String? {
        if self == .guardDuty { return event }
        guard let object = try? JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any], let detail = object["detail"],
              let data = try? JSONSerialization.data(withJSONObject: detail),
              let finding = try? JSONDecoder().decode(Finding.self, from: data) else { return nil }
        let document: [String: Any] = self == .asff ? SecurityFindingFormat.finding(finding) : OpenCybersecurityFormat.detectionFinding(finding)
        return JSONText.write(document)
    }
}
