/// Everything Vigil keeps that must survive a restart, as one store: each concern is its own small
/// protocol, so a part of Vigil can ask for only what it uses (the pipeline an ``AnalysisStore``,
/// the publisher an ``OutboxStore``…), and a new store (PostgreSQL after SQLite) implements them
/// one by one.
public protocol FindingStore: DetectorStore, FindingQueryStore, AnalysisStore, LearnedStateStore, OutboxStore,
    RetentionStore, UsageStore, FilterStore, IntelSetStore, DestinationStore, MembershipStore, OrganizationAdminStore, TagStore
{
    /// Removes everything (test mode's reset).
    func reset() throws
}
