import Foundation

/// The first `limit` problems an ingested body had, gathered from whichever partition's thread
/// reports them.
final class ProblemList: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private var kept: [String] = []

    init(limit: Int) { self.limit = limit }

    func append(_ problem: String) {
        lock.withLock { if kept.count < limit { kept.append(problem) } }
    }

    var items: [String] { lock.withLock { kept } }
}
