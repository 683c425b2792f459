import Foundation
import VigilModel

/// A GuardDuty detector: one per account and region.
public struct DetectorRecord: Sendable, Equatable {
    public var id: String
    public var accountId: String
    public var region: String
    /// `ENABLED` or `DISABLED`.
    public var status: DetectorStatus
    /// `FIFTEEN_MINUTES`, `ONE_HOUR` or `SIX_HOURS`.
    public var findingPublishingFrequency: String
    public var createdAt: String
    public var updatedAt: String
    /// What the caller set and GuardDuty echoes back, as a JSON object: `dataSources`, `features`,
    /// and as an organization's administrator `organization` (its auto-enable settings).
    public var settings: String?

    public init(id: String, accountId: String, region: String, status: DetectorStatus, findingPublishingFrequency: String,
                createdAt: String, updatedAt: String, settings: String? = nil) {
        self.settings = settings
        self.id = id
        self.accountId = accountId
        self.region = region
        self.status = status
        self.findingPublishingFrequency = findingPublishingFrequency
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
