import Foundation
import VigilDetection
import VigilLogs
import VigilModel

/// Runs one Sigma correlation rule over an account's CloudTrail events: evaluates the rules it
/// correlates, keeps per group (the `group-by` fields' values) what the correlation type needs
/// within the timespan of event time, and reports a finding each time the condition is met —
/// then starts counting that group afresh.
///
/// State is bounded: at most ``maximumGroups`` groups (the least recently seen are dropped),
/// and per group at most `threshold` times or values.
public final class SigmaCorrelationDetector: CloudTrailDetector {
    public let correlation: SigmaCorrelation
    public let type: FindingType
    public var name: String { "sigma-correlation:\(correlation.id ?? correlation.title)" }
    public var findingTypes: [FindingType] { [type] }
    public let eventNames: Set<String>?
    /// The most groups kept at once.
    public static let maximumGroups = 10_000

    private let rules: [SigmaRule]
    /// Each rule's program and event names.
    private let compiled: [(program: RuleProgram, names: [[UInt8]]?)]
    private let view = CloudTrailRecordView()
    private let details: [String: String]
    private var groups: [String: Group] = [:]

    private struct Group {
        var lastSeen: Int64
        /// event_count: match times, oldest first.
        var times: [Int64] = []
        /// value_count: each value and when it was last seen.
        var values: [String: Int64] = [:]
        /// temporal: when each rule last matched.
        var ruleTimes: [Int64?] = []
        /// temporal_ordered: for each step reached, the time the chain started.
        var chainStarts: [Int64?] = []

        /// Adds a match at `time` of the rules at `matched` (holding `values` for value_count);
        /// returns what met the condition, or `nil` while it is not met.
        mutating func record(time: Int64, matched: [Int], values: [String], correlation: SigmaCorrelation, ruleCount: Int) -> String? {
            lastSeen = max(lastSeen, time)
            let span = correlation.timespan
            switch correlation.kind {
            case .eventCount:
                times.append(time)
                times.removeAll { time - $0 > span }
                if times.count > correlation.threshold { times.removeFirst(times.count - correlation.threshold) }
                return times.count >= correlation.threshold ? "\(times.count) matching events" : nil
            case .valueCount:
                for value in values { self.values[value] = time }
                // Only a count that could meet the threshold is pruned of values out of the span
                // (so at most `threshold` values are kept).
                if self.values.count >= correlation.threshold { self.values = self.values.filter { time - $0.value <= span } }
                guard self.values.count >= correlation.threshold else { return nil }
                return "\(self.values.count) distinct values of \(correlation.valueField.map { "\($0)" } ?? "the field")"
            case .temporal:
                if ruleTimes.isEmpty { ruleTimes = Array(repeating: nil, count: ruleCount) }
                for index in matched { ruleTimes[index] = time }
                let seen = ruleTimes.compactMap { $0 }
                guard seen.count == ruleCount, let first = seen.min(), time - first <= span else { return nil }
                return "all \(ruleCount) rules matched"
            case .temporalOrdered:
                if chainStarts.isEmpty { chainStarts = Array(repeating: nil, count: ruleCount) }
                // Later steps first, so one event does not complete two steps.
                for index in matched.sorted(by: >) {
                    if index == 0 {
                        chainStarts[0] = time
                    } else if let start = chainStarts[index - 1], time - start <= span {
                        chainStarts[index] = start
                    }
                }
                guard let start = chainStarts[ruleCount - 1], time - start <= span else { return nil }
                return "the \(ruleCount) rules matched in order"
            }
        }
    }

    /// - Parameter rules: the correlated rules, in the order the correlation lists them.
    public convenience init(correlation: SigmaCorrelation, rules: [SigmaRule]) {
        self.init(correlation: correlation, rules: rules, programs: rules.map(RuleProgram.init))
    }

    /// A detector over the rules' programs made already (shared with other accounts' detectors).
    init(correlation: SigmaCorrelation, rules: [SigmaRule], programs: [RuleProgram]) {
        self.correlation = correlation
        self.rules = rules
        compiled = zip(programs, rules).map { ($0, $1.eventNames.map { $0.map { Array($0.utf8) } }) }
        type = RuleFindingType.make(title: correlation.title, tactics: RuleFindingType.tactics(in: correlation.tags), id: correlation.id)
        var names: Set<String>? = []
        for rule in rules {
            guard let pinned = rule.eventNames else { names = nil; break }
            names?.formUnion(pinned)
        }
        eventNames = names
        var details = RuleFindingDetails.of(title: correlation.title, level: correlation.level, file: correlation.file, id: correlation.id,
                                            tags: correlation.tags, references: correlation.references,
                                            falsePositives: correlation.falsePositives, author: correlation.author)
        details["correlationType"] = correlation.kind.rawValue
        details["correlatedRules"] = rules.map { $0.id ?? $0.title }.joined(separator: ", ")
        self.details = details
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        view.reset(event)
        var matched: [Int] = []
        let name = event.eventName.bytes
        for index in compiled.indices {
            // The engine routed the event by all the rules' names; one rule's own names, compared as bytes.
            if compiled.count > 1, let names = compiled[index].names, !names.contains(where: { name.elementsEqual($0) }) { continue }
            if compiled[index].program.matches(view, event: event) { matched.append(index) }
        }
        guard !matched.isEmpty else { return }
        let time = event.eventTime.millisecondsSinceEpoch
        let key = groupKey()
        // Every value the field holds counts (an array: each element, as `instanceIds`).
        var values: [String] = []
        if correlation.kind == .valueCount {
            if let field = correlation.valueField {
                _ = view.anyValue(at: FieldPath.cloudTrail(field)) { values.append(String(decoding: $0, as: UTF8.self)); return values.count >= correlation.threshold }
            }
            if values.isEmpty { values = [""] }
        }
        // The group is updated where the dictionary holds it (a copy taken out and put back would
        // copy its arrays on every event).
        if let what = groups[key, default: Group(lastSeen: time)].record(time: time, matched: matched, values: values,
                                                                       correlation: correlation, ruleCount: rules.count) {
            groups[key] = nil
            report(event, context, sink, key: key, what: what)
        } else if groups.count > Self.maximumGroups {
            evict(now: time)
        }
    }

    private func report(_ event: CloudTrailEvent, _ context: CloudTrailContext, _ sink: FindingSink, key: String, what: String) {
        let grouping = correlation.groupBy.isEmpty ? "" : " for " + zip(correlation.groupBy, key.split(separator: "\u{1F}", omittingEmptySubsequences: false))
            .map { "\($0.0)=\($0.1.isEmpty ? "(none)" : String($0.1))" }.joined(separator: ", ")
        var details = self.details
        if !grouping.isEmpty { details["correlationGroup"] = String(grouping.dropFirst(5)) }
        sink.report(context.observation(
            type, severity: correlation.level.severity,
            title: correlation.title,
            description: "Sigma correlation \"\(correlation.title)\" (\(correlation.kind.rawValue)): \(what) within \(correlation.timespan / 1000) s\(grouping); the last, \(event.eventName.string ?? "an API call") by \(context.principalDescription) \(context.originDescription)."
                + (correlation.description.map { " \($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""),
            identity: .init(resource: context.credentialKey, actor: "sigma:\(correlation.id ?? correlation.title)"),
            details: details))
    }

    private func groupKey() -> String {
        guard !correlation.groupBy.isEmpty else { return "" }
        var parts: [String] = []
        for path in correlation.groupBy {
            var value = ""
            _ = view.anyValue(at: FieldPath.cloudTrail(path)) { value = String(decoding: $0, as: UTF8.self); return true }
            parts.append(value)
        }
        return parts.joined(separator: "\u{1F}")
    }

    /// Drops groups whose timespan has passed, then the least recently seen down to 3/4 of the cap.
    private func evict(now: Int64) {
        groups = groups.filter { now - $0.value.lastSeen <= correlation.timespan }
        guard groups.count > Self.maximumGroups else { return }
        let keep = groups.sorted { $0.value.lastSeen > $1.value.lastSeen }.prefix(Self.maximumGroups * 3 / 4)
        groups = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
