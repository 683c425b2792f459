import ArgumentParser
import Foundation
import VigilDetection
import VigilLogs
import VigilModel

extension ModelCommand {
    /// `vigil model score-series`: the traffic model on any labelled series, to judge it.
    struct ScoreSeries: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "score-series",
            abstract: "Score a time series with Vigil's traffic-volume anomaly model.",
            discussion: """
                Reads a CSV whose first two columns are `timestamp,value` (a header row is kept; \
                timestamps as `2014-07-01 00:00:00`, ISO 8601 or epoch seconds) and writes it back \
                with an `anomaly_score` column in [0, 1]. Each row is scored strictly online, from the \
                rows before it only, as Vigil scores an instance's hourly traffic. Rows that cannot be \
                read are reported with their line number, scored 0 and not learned.
                """)
        @Option(name: .long, help: "The series (CSV).")
        var input: String
        @Option(name: .long, help: "Where to write the scored series (CSV); - for standard output.")
        var output = "-"
        @Option(name: .long, help: "Points the model remembers.")
        var window = SeriesAnomalyModel.Settings().window
        @Option(name: .long, help: "Points after a score during which lower scores are damped.")
        var restPeriod = SeriesAnomalyModel.Settings().restPeriod

        func run() throws {
            guard let data = FileManager.default.contents(atPath: input) else {
                throw ValidationError("cannot read \(input)")
            }
            // A byte-order mark and CRLF line ends (spreadsheet exports) are read like any other CSV.
            let text = GzipInflater.text(of: data).text
            guard window >= 10, restPeriod >= 1 else { throw ValidationError("--window must be at least 10 and --rest-period at least 1") }
            var model = SeriesAnomalyModel(settings: .init(window: window, restPeriod: restPeriod))
            var out = ""
            out.reserveCapacity(text.utf8.count + text.utf8.count / 3)
            var bad = 0, scored = 0
            // Lines end at LF, CRLF or CR (`isNewline` takes CRLF as one break).
            for (index, row) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
                if row.isEmpty { continue }
                let columns = row.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
                if index == 0, columns.count >= 2, Double(columns[1].trimmingCharacters(in: .whitespaces)) == nil {
                    out += row + ",anomaly_score\n"
                    continue
                }
                guard columns.count >= 2, let value = Double(columns[1].trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    bad += 1
                    if bad <= 20 { FileHandle.standardError.write(Data("vigil: \(input):\(index + 1): expected `timestamp,value`\n".utf8)) }
                    out += row + ",0\n"
                    continue
                }
                scored += 1
                let score = model.score(value, time: Self.seconds(String(columns[0])))
                out += row + "," + String(format: "%.6f", score) + "\n"
            }
            if bad > 0 { FileHandle.standardError.write(Data("vigil: \(input): \(bad) rows could not be read\n".utf8)) }
            // A series with no row that could be scored is an error, never an output that looks right.
            guard scored > 0 else {
                FileHandle.standardError.write(Data("vigil: \(input): no `timestamp,value` row could be read\n".utf8))
                throw ExitCode(65)  // EX_DATAERR
            }
            if output == "-" {
                FileHandle.standardOutput.write(Data(out.utf8))
            } else {
                try Data(out.utf8).write(to: URL(fileURLWithPath: output))
            }
        }

        /// Seconds since the epoch of `2014-07-01 00:00:00`, an ISO 8601 time or a number of seconds.
        static func seconds(_ text: String) -> Int64? {
            let trimmed = text.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\"")))
            if let n = Double(trimmed) { return Int64(n > 1e11 ? n / 1000 : n) }
            var iso = trimmed.replacingOccurrences(of: " ", with: "T")
            if iso.count == 19 { iso += "Z" }
            return Timestamp(iso8601: iso)?.secondsSinceEpoch
        }
    }
}
