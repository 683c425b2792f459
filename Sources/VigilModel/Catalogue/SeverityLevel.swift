/// GuardDuty's severity bands: Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0.
public enum SeverityLevel: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    case low = "Low"
    case medium = "Medium"
    case high = "High"
    case critical = "Critical"

    /// The band a severity value falls in; values below 1.0 count as Low, above 10.0 as Critical.
    public init(_ severity: Double) {
        switch severity {
        case ..<4.0: self = .low
        case ..<7.0: self = .medium
        case ..<9.0: self = .high
        default: self = .critical
        }
    }

    /// The band's closed range of severity values.
    public var range: ClosedRange<Double> {
        switch self {
        case .low: 1.0...3.9
        case .medium: 4.0...6.9
        case .high: 7.0...8.9
        case .critical: 9.0...10.0
        }
    }

    /// The value GuardDuty uses for a finding of this band when nothing raises or lowers it.
    public var typicalValue: Double {
        switch self {
        case .low: 2.0
        case .medium: 5.0
        case .high: 8.0
        case .critical: 9.0
        }
    }

    public static func < (lhs: SeverityLevel, rhs: SeverityLevel) -> Bool {
        lhs.range.lowerBound < rhs.range.lowerBound
    }
}
