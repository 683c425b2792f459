import Foundation

/// One bound on the accounts a pipeline analyses, shared by its partitions: each new account
/// reserves a place (rarely: once per account), and none is given past the limit.
final class AccountBudget: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private var used = 0

    init(limit: Int) { self.limit = limit }

    func reserve() -> Bool {
        lock.withLock {
            guard used < limit else { return false }
            used += 1
            return true
        }
    }

    /// Gives back the places of `count` accounts no longer analysed.
    func release(_ count: Int) {
        lock.withLock { used = max(0, used - count) }
    }
}
