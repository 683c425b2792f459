import Foundation
import VigilStore

/// The watched files whose last line had no newline when last looked at, with their size and
/// modification time then: a line still unfinished at the next poll, the file unchanged, is taken
/// as finished (a writer that ends a file without a newline).
final class UnfinishedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String: AnalysedFile] = [:]

    /// Remembers how `file` looked.
    func remember(_ file: AnalysedFile) {
        lock.withLock { seen[file.path] = file }
    }

    /// Whether `file` looks as it did when remembered (and forgets it).
    func unchanged(_ file: AnalysedFile) -> Bool {
        lock.withLock {
            defer { seen[file.path] = nil }
            return seen[file.path] == file
        }
    }
}
