import Logging
import VigilLogs

/// Where reading problems go: to the current collector (an ingest request's answer), else to the
/// fallback (a scan's terminal), else to the log.
final class IssueSink: @unchecked Sendable {
    var collector: ((LogIssue) -> Void)?
    private let logger: Logger
    private let fallback: ((LogIssue) -> Void)?

    init(logger: Logger, fallback: ((LogIssue) -> Void)?) {
        self.logger = logger
        self.fallback = fallback
    }

    func report(_ issue: LogIssue) {
        if let collector {
            collector(issue)
        } else if let fallback {
            fallback(issue)
        } else {
            logger.warning("\(issue)")
        }
    }
}
