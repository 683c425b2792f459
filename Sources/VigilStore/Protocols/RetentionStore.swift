import Foundation

/// How long findings are kept.
public protocol RetentionStore: Sendable {
    /// Deletes findings Vigil last stored (raised or updated) before `cutoff` — wall-clock time, so
    /// that findings from replayed old logs live their full retention period; returns how many.
    @discardableResult
    func deleteFindings(storedBefore cutoff: Date) throws -> Int
}
