/// A Sigma correlation rule: several matches of other rules, grouped and within a timespan of
/// event time, make one finding.
public struct SigmaCorrelation: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// At least N matches of the rules in the timespan.
        case eventCount = "event_count"
        /// At least N distinct values of a field among the matches in the timespan.
        case valueCount = "value_count"
        /// Every rule matched within the timespan, in any order.
        case temporal
        /// Every rule matched within the timespan, in the order listed.
        case temporalOrdered = "temporal_ordered"
    }

    public let file: String
    public let line: Int?
    public let id: String?
    public let name: String?
    public let title: String
    public let description: String?
    public let author: String?
    public let level: SigmaLevel
    public let tags: [String]
    public let references: [String]
    public let falsePositives: [String]
    public let kind: Kind
    /// The rules it correlates, by name or id, as written.
    public let ruleReferences: [String]
    /// The line of `correlation.rules`, for messages about unresolved references.
    let rulesLine: Int?
    /// Matches are counted separately for each combination of these fields' values.
    let groupBy: [CloudTrailFieldPath]
    /// The timespan in milliseconds of event time.
    public let timespan: Int64
    /// The least count (event_count, value_count) that fires.
    public let threshold: Int
    /// value_count's field.
    let valueField: CloudTrailFieldPath?
    /// Whether the rules it correlates also raise their own findings.
    public let generate: Bool
    public let warnings: [SigmaProblem]

    /// Parses `30s`, `5m`, `1h`, `2d` (also `1w`, `1M`, `1y`) into milliseconds.
    static func timespan(_ text: String) -> Int64? {
        guard let unit = text.last, let n = Int64(text.dropLast()), n > 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86_400
        case "w": seconds = 7 * 86_400
        case "M": seconds = 30 * 86_400
        case "y": seconds = 365 * 86_400
        default: return nil
        }
        guard n <= 366 * 86_400 / seconds + 1 else { return nil }
        return n * seconds * 1000
    }
}
