import Foundation
import VigilModel

/// Volume analysed for one account and data source (`CLOUD_TRAIL`, `FLOW_LOGS`, `DNS_LOGS`).
public struct UsageRecord: Sendable, Equatable {
    public var accountId: String
    public var dataSource: String
    /// The log source the volume came from (a flow log `fl-…`, a VPC's Resolver logs, a
    /// region's CloudTrail), or empty in per-source sums.
    public var resource: String
    public var records: Int64
    public var bytes: Int64
    /// When records of this log source were last committed (seconds since 1970; per-resource rows only).
    public var lastAnalysedAt: Double?
    public init(accountId: String, dataSource: String, resource: String = "", records: Int64, bytes: Int64, lastAnalysedAt: Double? = nil) {
        self.lastAnalysedAt = lastAnalysedAt
        self.accountId = accountId
        self.dataSource = dataSource
        self.resource = resource
        self.records = records
        self.bytes = bytes
    }
}
