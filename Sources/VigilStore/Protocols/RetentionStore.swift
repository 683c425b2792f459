import Foundation

/// How long findings are kept.
public protocol RetentionStore: Sendable {
    /// Deletes findings Vigil last stored (raised or updated) before `cutoff` — wall-clock time, so
    /// that findings from replayed old logs live their full retention period; returns how many.
    @discardableResult
    func deleteFindings(storedBefore cutoff: Date) throws -> Int

    /// Brings the statistics the database plans its queries from up to date, after a bulk import
    /// or a large deletion changed the tables' shape (SQLite: `PRAGMA optimize`; PostgreSQL:
    /// `ANALYZE` of the findings and their counts).
    func refreshPlannerStatistics() throws
}
