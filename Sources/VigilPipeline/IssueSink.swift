import Foundation
import Logging
import VigilLogs

/// Where reading problems go: to the current collector (an ingest request's answer), else to the
/// fallback (a scan's terminal), else to the log — one problem at a time, whichever partition's
/// thread reports it.
final class IssueSink: @unchecked Sendable {
    private let lock = NSLock()
    private var current: ((LogIssue) -> Void)?
    var collector: ((LogIssue) -> Void)? {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
    private let logger: Logger
    private let fallback: ((LogIssue) -> Void)?

    init(logger: Logger, fallback: ((LogIssue) -> Void)?) {
        self.logger = logger
        self.fallback = fallback
    }

    func report(_ issue: LogIssue) {
        lock.lock()
        defer { lock.unlock() }
        if let collector = current {
            collector(issue)
        } else if let fallback {
            fallback(issue)
        } else {
            logger.warning("\(issue)")
        }
    }
}
