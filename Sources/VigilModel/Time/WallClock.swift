import Foundation

/// Where the server's parts read the time of day: retention cut-offs, publication times, delivery
/// back-off, learned-state saves. Injected rather than read from `Date()`, so tests can set it
/// (``fixed(_:)``, ``ManualTime``) and every part of one server agrees on it.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    /// Now.
    public func now() -> Date { read() }

    /// The system's clock.
    public static let system = WallClock { Date() }

    /// A clock standing still at `date`.
    public static func fixed(_ date: Date) -> WallClock { WallClock { date } }

    /// A clock a test moves by hand.
    public static func manual(_ time: ManualTime) -> WallClock { WallClock { time.now } }
}

/// A time of day a test sets and advances; read through ``WallClock/manual(_:)``.
public final class ManualTime: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func advance(by seconds: TimeInterval) {
        lock.lock()
        current.addTimeInterval(seconds)
        lock.unlock()
    }
}
