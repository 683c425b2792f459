import VigilLogs
import VigilModel

/// A batch analysis: read files, run every detector over their records, aggregate findings.
///
/// Deterministic: the same files in the same order give the same findings, whatever the clock.
public final class LogScan {
    public let reader: LogReader
    public let engine: DetectionEngine
    public let aggregator: FindingAggregator

    /// - Parameters:
    ///   - detectors: the detectors to run (the built-in set by default).
    ///   - window: event-time bounds; records outside are counted and skipped.
    ///   - onIssue: called for every bad record or file.
    public init(detectors: [any Detector] = LogScan.builtInDetectors(), window: ClosedRange<Timestamp>? = nil,
                onIssue: @escaping (LogIssue) -> Void = { _ in }) {
        aggregator = FindingAggregator()
        engine = DetectionEngine(detectors: detectors, sink: aggregator)
        reader = LogReader(window: window, onIssue: onIssue)
    }

    /// Every built-in detector, freshly made.
    public static func builtInDetectors() -> [any Detector] {
        CloudTrailDetectors.all()
    }

    /// Reads one file; returns what the reader made of it.
    @discardableResult
    public func read(path: String) -> LogReader.FileOutcome {
        reader.read(path: path, into: engine)
    }

    public var statistics: ReadStatistics { reader.statistics }
    public var findings: [Finding] { aggregator.findings }
}
