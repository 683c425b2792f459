/// A detector's findings filters (suppression rules are those with action `ARCHIVE`).
public protocol FilterStore: Sendable {
    func saveFilter(_ filter: FilterRecord) throws
    func filter(detectorId: String, name: String) throws -> FilterRecord?
    /// A detector's filters by rank, then name.
    func filters(detectorId: String) throws -> [FilterRecord]
    func deleteFilter(detectorId: String, name: String) throws
}
