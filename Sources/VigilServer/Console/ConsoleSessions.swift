import Foundation
import VigilAPI

/// The console's signed-in sessions: a random token (the `vigil_session` cookie) per sign-in,
/// naming the caller whose access key signed in and the region it looks at. Kept in memory
/// (a restart signs everyone out), each for at most ``lifetime`` seconds.
final class ConsoleSessions: @unchecked Sendable {
    struct Session {
        var caller: SigV4Verifier.Caller
        var expires: Date
    }

    let lifetime: TimeInterval
    /// Sessions one access key may hold at once (the oldest ends first), and in all.
    let perKey = 32, capacity = 10_000
    private var sessions: [String: Session] = [:]
    private let lock = NSLock()

    /// The time of day (the server's clock).
    private let now: @Sendable () -> Date

    init(lifetime: TimeInterval = 12 * 3600, now: @escaping @Sendable () -> Date) {
        self.lifetime = lifetime
        self.now = now
    }

    /// Starts a session and returns its token: 32 random bytes from the system's generator, in hex.
    func start(_ caller: SigV4Verifier.Caller) -> String {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        lock.lock()
        defer { lock.unlock() }
        let now = self.now()
        sessions = sessions.filter { $0.value.expires > now }
        // Bounded: a key that signs in again and again ends its own oldest sessions, never memory.
        let own = sessions.filter { $0.value.caller.accessKeyId == caller.accessKeyId }.sorted { $0.value.expires < $1.value.expires }
        for (old, _) in own.prefix(max(0, own.count - perKey + 1)) { sessions[old] = nil }
        if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires })?.key { sessions[oldest] = nil }
        sessions[token] = Session(caller: caller, expires: now.addingTimeInterval(lifetime))
        return token
    }

    /// The caller of a live session.
    func caller(_ token: String) -> SigV4Verifier.Caller? {
        lock.lock()
        defer { lock.unlock() }
        guard let session = sessions[token], session.expires > now() else { return nil }
        return session.caller
    }

    func setRegion(_ region: String, token: String) {
        lock.lock()
        defer { lock.unlock() }
        sessions[token]?.caller.region = region
    }

    func end(_ token: String) {
        lock.lock()
        defer { lock.unlock() }
        sessions[token] = nil
    }
}
