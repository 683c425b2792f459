/// The log a finding type is raised from.
public enum DataSource: String, Codable, Hashable, Sendable, CaseIterable {
    case cloudTrail = "CloudTrail"
    case flowLogs = "VPC Flow Logs"
    case dns = "DNS logs"

    /// The name GuardDuty's usage statistics give this source.
    public var usageName: String {
        switch self {
        case .cloudTrail: "CLOUD_TRAIL"
        case .flowLogs: "FLOW_LOGS"
        case .dns: "DNS_LOGS"
        }
    }
}

/// A GuardDuty finding type and its defaults.
public struct FindingTypeInfo: Hashable, Sendable {
    public let type: FindingType
    public let dataSource: DataSource
    /// GuardDuty's default severity.
    public let defaultSeverity: Double
    /// Whether GuardDuty varies the severity with the circumstances ("Low*" in its tables).
    public let variesWithContext: Bool
    /// The `resource.resourceType` findings of this type carry: `AccessKey`, `Instance` or `S3Bucket`.
    public let resourceType: String
    /// GuardDuty's one-line meaning of the type.
    public let summary: String

    public init(_ type: FindingType, _ dataSource: DataSource, _ defaultSeverity: Double, variesWithContext: Bool,
                resourceType: String, _ summary: String) {
        self.type = type
        self.dataSource = dataSource
        self.defaultSeverity = defaultSeverity
        self.variesWithContext = variesWithContext
        self.resourceType = resourceType
        self.summary = summary
    }

    public var severityLevel: SeverityLevel { SeverityLevel(defaultSeverity) }

    /// The part before the colon: `Recon`, `UnauthorizedAccess`, `Stealth`, …
    public var threatPurpose: Substring { type.threatPurpose }
}
