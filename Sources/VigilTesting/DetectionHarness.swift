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

    /// The `event` objects of a Panther/StreamAlert rule-test corpus whose rule ID passes `rule`.
    public static func corpusEvents(_ relative: String, where keep: ([String: Any]) -> Bool = { _ in true }) throws -> [[String: Any]] {
        try SharedData.corpus(relative).filter(keep).compactMap { $0["event"] as? [String: Any] }
    }
}
