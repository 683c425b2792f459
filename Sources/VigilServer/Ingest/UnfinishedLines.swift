import Foundation
import VigilStore

/// The watched files whose last line has no newline, with when they were first seen looking as
/// they do: a writer may pause mid-line, so such a line is taken as finished only once the file has
/// stayed unchanged for ``patience`` seconds (a writer that ends a file without a newline).
final class UnfinishedLines: @unchecked Sendable {
    /// Seconds a file must stay unchanged before its unterminated last line is read.
    let patience: TimeInterval
    private let lock = NSLock()
    private var seen: [String: (file: AnalysedFile, since: Date)] = [:]

    init(patience: TimeInterval = 30) { self.patience = patience }

    /// Remembers how `file` looks (keeping the time it first looked so).
    func remember(_ file: AnalysedFile, now: Date) {
        lock.withLock {
            if let known = seen[file.path], known.file == file { return }
            seen[file.path] = (file, now)
        }
    }

    /// Whether `file` has looked as it does now for at least ``patience`` seconds.
    func finished(_ file: AnalysedFile, now: Date) -> Bool {
        lock.withLock {
            guard let known = seen[file.path], known.file == file else { return false }
            guard now.timeIntervalSince(known.since) >= patience else { return false }
            seen[file.path] = nil
            return true
        }
    }
}
