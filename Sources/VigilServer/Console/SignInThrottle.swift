import Foundation

/// Limits console sign-in attempts: after `allowed` failures from one address (or for one access
/// key) within `window` seconds, further attempts are refused until the window has passed — so a
/// secret cannot be guessed through the console at any useful rate. Memory is bounded: at most
/// `capacity` addresses and keys are remembered (the oldest forgotten first).
final class SignInThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    let allowed: Int
    let window: TimeInterval
    let capacity: Int

    init(allowed: Int = 10, window: TimeInterval = 300, capacity: Int = 10_000) {
        self.allowed = allowed
        self.window = window
        self.capacity = capacity
    }

    /// Seconds to wait before `keys` (an address, an access key) may try again; 0 when they may now.
    func wait(for keys: [String], now: Date) -> TimeInterval {
        lock.lock()
        defer { lock.unlock() }
        var longest: TimeInterval = 0
        for key in keys {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent.isEmpty ? nil : recent
            if recent.count >= allowed, let oldest = recent.first { longest = max(longest, window - now.timeIntervalSince(oldest)) }
        }
        return longest
    }

    /// Records a failed attempt for each of `keys`.
    func failed(_ keys: [String], now: Date) {
        lock.lock()
        defer { lock.unlock() }
        if failures.count >= capacity {
            let stale = failures.filter { now.timeIntervalSince($0.value.last ?? .distantPast) >= window }.map(\.key)
            for key in stale { failures[key] = nil }
            if failures.count >= capacity, let oldest = failures.min(by: { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) })?.key {
                failures[oldest] = nil
            }
        }
        for key in keys { failures[key, default: []].append(now) }
    }
}
