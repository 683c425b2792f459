/// A finding, encoded exactly as GuardDuty's schema 2.0 JSON (botocore's `Finding` shape).
///
/// Every stored property's name is its JSON wire name; optional members that are `nil` are left
/// out of the JSON, as GuardDuty does. Timestamps in `createdAt`, `updatedAt` and the service's
/// `eventFirstSeen` / `eventLastSeen` are ISO-8601 strings with milliseconds (`2023-11-14T22:15:00.000Z`).
public struct Finding: Codable, Hashable, Sendable {
    public var accountId: String
    public var arn: String
    public var confidence: Double?
    public var createdAt: String
    public var description: String?
    public var id: String
    public var partition: String?
    public var region: String
    public var resource: Resource
    public var schemaVersion: String
    public var service: Service?
    public var severity: Double
    public var title: String?
    public var type: String
    public var updatedAt: String
    /// The ARN of the attack sequence this finding is a signal of, once one is raised.
    public var associatedAttackSequenceArn: String?

    public init(
        accountId: String, arn: String, confidence: Double? = nil, createdAt: String,
        description: String? = nil, id: String, partition: String? = "aws", region: String,
        resource: Resource, schemaVersion: String = Finding.schemaVersion, service: Service? = nil,
        severity: Double, title: String? = nil, type: String, updatedAt: String
    ) {
        self.accountId = accountId
        self.arn = arn
        self.confidence = confidence
        self.createdAt = createdAt
        self.description = description
        self.id = id
        self.partition = partition
        self.region = region
        self.resource = resource
        self.schemaVersion = schemaVersion
        self.service = service
        self.severity = severity
        self.title = title
        self.type = type
        self.updatedAt = updatedAt
    }

    /// The GuardDuty finding schema version Vigil writes.
    public static let schemaVersion = "2.0"

    /// The ARN GuardDuty gives a finding:
    /// `arn:aws:guardduty:<region>:<account>:detector/<detectorId>/finding/<findingId>`.
    public static func arn(partition: String = "aws", region: String, accountId: String, detectorId: String, findingId: String) -> String {
        "arn:\(partition):guardduty:\(region):\(accountId):detector/\(detectorId)/finding/\(findingId)"
    }

    /// The severity band of ``severity``.
    public var severityLevel: SeverityLevel { SeverityLevel(severity) }
}

/// A key/value tag.
public struct Tag: Codable, Hashable, Sendable {
    public var key: String?
    public var value: String?
    public init(key: String?, value: String?) {
        self.key = key
        self.value = value
    }
}
