import Foundation

/// At most `limit` holders per key at once — the one mechanism behind the per-address connection
/// limit and the per-account request limit: ``enter(_:)`` takes a place or refuses, ``leave(_:)``
/// gives it back. Keys without holders take no memory.
final class KeyedLimit: @unchecked Sendable {
    private let lock = NSLock()
    private var held: [String: Int] = [:]
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Takes a place for `key`; `false` (nothing taken) when it has `limit` already.
    func enter(_ key: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let count = held[key, default: 0]
        guard count < limit else { return false }
        held[key] = count + 1
        return true
    }

    /// Gives back a place ``enter(_:)`` took.
    func leave(_ key: String) {
        lock.lock()
        defer { lock.unlock() }
        let count = held[key, default: 1] - 1
        held[key] = count > 0 ? count : nil
    }
}
