/// A Sigma rule's `level`, and the GuardDuty severity its findings carry.
public enum SigmaLevel: String, Sendable, CaseIterable {
    case informational, low, medium, high, critical

    /// GuardDuty's severity scale: Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0.
    public var severity: Double {
        switch self {
        case .informational: 1.0
        case .low: 2.0
        case .medium: 5.0
        case .high: 8.0
        case .critical: 9.0
        }
    }
}
