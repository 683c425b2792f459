import Foundation
import VigilDetection
import VigilLogs
import VigilModel

/// Runs detectors over CloudTrail events given as JSON objects, through the real reader and
/// engine, and returns the findings.
public enum DetectionHarness {
    /// Serialises `events` as JSON lines and scans them with `detectors`.
    public static func findings(cloudTrail events: [[String: Any]], detectors: [any Detector],
                                path: String = "test/events.jsonl") throws -> [Finding] {
        let lines = try events.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        return findings(text: lines.joined(separator: "\n") + "\n", detectors: detectors, path: path)
    }

    /// Scans log text (any kind the reader recognises) with `detectors`.
    public static func findings(text: String, detectors: [any Detector], path: String = "test/events.jsonl") -> [Finding] {
        let aggregator = FindingAggregator()
        let engine = DetectionEngine(detectors: detectors, sink: aggregator)
        let reader = LogReader()
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { _ = reader.read(bytes: UnsafeRawBufferPointer($0), path: path, into: engine) }
        return aggregator.findings
    }

    /// Rule-test corpus events made scannable together: each its own event ID (`<prefix>-<index>`;
    /// the corpora reuse IDs, which the engine drops as repeats) and a real time where the corpus
    /// writes a placeholder (StreamAlert's `...`, which the reader rightly refuses).
    public static func scannable(_ events: [[String: Any]], idPrefix: String = "corpus") -> [[String: Any]] {
        events.enumerated().map { index, event in
            var event = withReadableTime(event)
            event["eventID"] = "\(idPrefix)-\(index)"
            return event
        }
    }

    /// `event` with a real `eventTime` where it has a placeholder.
    public static func withReadableTime(_ event: [String: Any]) -> [String: Any] {
        var event = event
        if (event["eventTime"] as? String).flatMap({ Timestamp(iso8601: $0) }) == nil { event["eventTime"] = "2019-07-09T15:37:48Z" }
        return event
    }

    /// The `event` objects of a Panther/StreamAlert rule-test corpus whose rule ID passes `rule`.
    public static func corpusEvents(_ relative: String, where keep: ([String: Any]) -> Bool = { _ in true }) throws -> [[String: Any]] {
        try SharedData.corpus(relative).filter(keep).compactMap { $0["event"] as? [String: Any] }
    }
}
