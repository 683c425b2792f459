import Foundation
import Metrics
import VigilLogs
import VigilModel

/// What the pipeline reports to swift-metrics at each commit (never per record, so the hot path
/// pays nothing): records, bytes and bad records read by source, findings committed by type and
/// severity, and the ingest lag of each — from the latest event it holds to its commit.
///
/// Names as Prometheus shows them: `vigil_records_total`, `vigil_record_bytes_total`,
/// `vigil_bad_records_total` (label `source`: `CLOUD_TRAIL`, `FLOW_LOGS`, `DNS_LOGS`),
/// `vigil_findings_total` (labels `type`, `severity`), `vigil_ingest_lag_seconds` (a histogram),
/// `vigil_rule_searches_given_up_total` (label `rule`: searches of a Sigma rule's regular
/// expressions that stopped at their backtracking limit).
struct PipelineMetrics {
    private struct FindingGroup: Hashable {
        let type: String
        let severity: String
    }

    private var reported = ReadStatistics()
    private var reportedGivenUp: [String: Int] = [:]

    mutating func record(statistics: ReadStatistics, findings: [Finding], now: Date) {
        let added = statistics.subtracting(reported)
        reported = statistics
        for source in DataSource.allCases {
            let volume = added[source]
            let dimensions = [("source", source.usageName)]
            if volume.records > 0 { Counter(label: "vigil_records_total", dimensions: dimensions).increment(by: Int64(volume.records)) }
            if volume.bytes > 0 { Counter(label: "vigil_record_bytes_total", dimensions: dimensions).increment(by: Int64(volume.bytes)) }
            if volume.badRecords > 0 { Counter(label: "vigil_bad_records_total", dimensions: dimensions).increment(by: Int64(volume.badRecords)) }
        }
        let lag = Recorder(label: "vigil_ingest_lag_seconds")
        let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
        // Counted by type and severity first: a metric handle is looked up once per group, not
        // once per finding (a scan may commit tens of thousands at once).
        var counts: [FindingGroup: Int64] = [:]
        for index in findings.indices {
            counts[FindingGroup(type: findings[index].type, severity: findings[index].severityLevel.rawValue), default: 0] += 1
            if let seen = findings[index].service?.eventLastSeen, let last = Timestamp(iso8601: seen) {
                lag.record(Double(max(0, nowMilliseconds - last.millisecondsSinceEpoch)) / 1000)
            }
        }
        for (group, count) in counts {
            Counter(label: "vigil_findings_total", dimensions: [("type", group.type), ("severity", group.severity)]).increment(by: count)
        }
    }

    /// Counts the searches given up since the last report (`totals`: since start, by detector);
    /// returns each detector with new ones, its new and its total count, in name order.
    mutating func record(searchesGivenUp totals: [String: Int]) -> [(detector: String, added: Int, total: Int)] {
        var added: [(detector: String, added: Int, total: Int)] = []
        for (detector, total) in totals.sorted(by: { $0.key < $1.key }) {
            let new = total - reportedGivenUp[detector, default: 0]
            guard new > 0 else { continue }
            reportedGivenUp[detector] = total
            Counter(label: "vigil_rule_searches_given_up_total", dimensions: [("rule", detector)]).increment(by: Int64(new))
            added.append((detector, new, total))
        }
        return added
    }
}
