import Foundation
import VigilLogs
import VigilModel

/// What every finding of one detection rule carries, made once when its detector is made: its
/// type, the rule's details, the opening of its description, and the condition with its searches
/// (a class, so evaluating them per record copies nothing). Immutable, so a rule set compiles each
/// rule once and every account's detector shares it. The three rule detectors — CloudTrail, flow
/// logs, DNS — differ only in the records they read and the findings they build.
final class CompiledRule: Sendable {
    let rule: SigmaRule
    let type: FindingType
    let details: [String: String]
    /// `Sigma rule "Title" (id) matched`.
    let named: String
    /// The rule's description with a space before it (empty without one): the end of a finding's description.
    let explained: String
    /// The condition and its searches, flattened for evaluation per record.
    let program: RuleProgram

    init(_ rule: SigmaRule) {
        self.rule = rule
        type = RuleFindingType.make(title: rule.title, tactics: rule.tactics, id: rule.id, source: rule.source)
        details = RuleFindingDetails.of(rule)
        named = "Sigma rule \"\(rule.title)\"\(rule.id.map { " (\($0))" } ?? "") matched"
        explained = rule.description.map { " \($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""
        program = RuleProgram(rule)
    }

    /// The detector's name: `sigma:<id>` (or the title).
    var detectorName: String { rule.detectorName }

    /// Whether the record `view` reads matches; `event` is it when it is a CloudTrail event.
    @inline(__always)
    func matches(_ view: some SigmaRecordView, event: CloudTrailEvent? = nil) -> Bool { program.matches(view, event: event) }
}
