import Foundation
import VigilDetection
import VigilModel
import VigilTesting

/// Real events from the Panther and StreamAlert rule-test corpora, looked up by rule and test name.
enum CorpusEvents {
    static let panther = "corpora/panther_cloudtrail_tests.jsonl"
    static let streamAlert = "corpora/streamalert_cloudtrail_tests.jsonl"

    static func event(_ corpus: String, rule: String, test: String) throws -> [String: Any] {
        let records = try SharedData.corpus(corpus)
        guard let record = records.first(where: { ($0["rule_id"] as? String) == rule && ($0["test_name"] as? String)?.hasPrefix(test) == true }),
              let event = record["event"] as? [String: Any] else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no corpus event \(rule) / \(test)"])
        }
        return DetectionHarness.withReadableTime(event)
    }

    static func findings(_ events: [[String: Any]], _ detector: any Detector) throws -> [Finding] {
        try DetectionHarness.findings(cloudTrail: events, detectors: [detector])
    }
}
