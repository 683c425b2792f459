/// Volume analysed, as GuardDuty's usage statistics report it.
public protocol UsageStore: Sendable {
    /// Summed per account and data source.
    func usage(accountId: String) throws -> [UsageRecord]
    /// Per account, data source and log source (``UsageRecord/resource``).
    func usageByResource(accountId: String) throws -> [UsageRecord]
}
