import Foundation

/// Admits at most `limit` API requests of one account at a time; the next is refused (429) rather
/// than queued, so one tenant's burst of slow queries occupies at most its share of the workers.
final class AccountRequestGate: @unchecked Sendable {
    private let lock = NSLock()
    private var inFlight: [String: Int] = [:]
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Takes a place for `account`; `false` when it has `limit` requests in progress.
    func enter(_ account: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let count = inFlight[account, default: 0]
        guard count < limit else { return false }
        inFlight[account] = count + 1
        return true
    }

    func leave(_ account: String) {
        lock.lock()
        defer { lock.unlock() }
        let count = inFlight[account, default: 1] - 1
        inFlight[account] = count > 0 ? count : nil
    }
}
