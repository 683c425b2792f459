import Foundation
import Testing
@testable import VigilCommands
import VigilDetection
import VigilIntel
import VigilLogs
import VigilModel
import VigilTesting

/// Every reader of text — logs, lists, CSV series, the configuration — reads CRLF line ends and a
/// UTF-8 byte-order mark (common in exports from Windows tools) exactly as it reads plain LF text,
/// or says clearly why it cannot; and every configuration example in the README loads.
@Suite struct TextFormatTests {
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The three forms of a text: LF, CRLF, and CRLF behind a byte-order mark.
    static func forms(_ text: String) -> [(String, [UInt8])] {
        let lf = text.replacingOccurrences(of: "\r\n", with: "\n")
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        return [("LF", Array(lf.utf8)), ("CRLF", Array(crlf.utf8)), ("BOM+CRLF", bom + Array(crlf.utf8)), ("BOM+LF", bom + Array(lf.utf8))]
    }

    static func sample(_ relative: String, lines: Int? = nil) throws -> String {
        let files = try LogFileFinder.files(under: [SharedData.path("samples/\(relative)")])
        let first = try #require(files.first { $0.hasSuffix(".gz") })
        let data = try #require(FileManager.default.contents(atPath: first))
        let text = GzipInflater.text(of: data).text
        guard let lines else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).prefix(lines).joined(separator: "\n") + "\n"
    }

    /// Records read, bad records, and the findings' types and counts, for a body named `path`.
    static func analyse(_ bytes: [UInt8], path: String) -> (records: UInt64, bad: UInt64, findings: [String]) {
        let scan = LogScan()
        bytes.withUnsafeBytes { _ = scan.read(bytes: $0, path: path) }
        let total = DataSource.allCases.reduce((UInt64(0), UInt64(0))) { ($0.0 + scan.statistics[$1].records, $0.1 + scan.statistics[$1].badRecords) }
        return (total.0, total.1, scan.findings.map { "\($0.type)×\($0.service?.count ?? 0)" }.sorted())
    }

    @Test(arguments: [("flow", "zeek_portscan"), ("dns", "r53"), ("cloudtrail", "cloudtrail")])
    func logsReadAlikeInEveryForm(kind: String, sample: String) throws {
        var text = try Self.sample(sample, lines: kind == "cloudtrail" ? nil : 400)
        if kind == "cloudtrail" {
            // One record a line, as CloudTrail Lake and SIEM exports write them.
            let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let records = try #require(document["Records"] as? [Any])
            text = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n") + "\n"
        }
        let results = Self.forms(text).map { (name, bytes) in (name, Self.analyse(bytes, path: "upload.log")) }
        let plain = results[0].1
        #expect(plain.records > 0 && plain.bad == 0)
        for (name, result) in results.dropFirst() {
            #expect(result.records == plain.records && result.bad == 0, "\(kind) \(name)")
            #expect(!plain.findings.isEmpty || kind == "dns", "\(kind): no findings to compare")
            #expect(result.findings == plain.findings, "\(kind) \(name)")
        }
    }

    @Test func listsReadAlikeInEveryForm() throws {
        let lists: [(ListFormat, String)] = [
            (.txt, "# scanners\n198.51.100.7\n203.0.113.0/24\nbad.example\n"),
            (.otxCSV, "Indicator type,Indicator,Description\nIPv4,198.51.100.7,scanner\ndomain,bad.example,c2\n"),
        ]
        for (format, text) in lists {
            var counts: [Int] = []
            for (name, bytes) in Self.forms(text) {
                let source = ThreatListSource(name: "list", category: .custom, format: format, path: "list-\(name)",
                                              text: String(decoding: bytes, as: UTF8.self))
                let intel = try ThreatIntelligence.load(threatLists: [source])
                #expect(intel.issues.isEmpty, "\(format) \(name): \(intel.issues)")
                #expect(!intel.match(IPAddress("198.51.100.7")!).isEmpty, "\(format) \(name)")
                #expect(!intel.match(domain: "bad.example").isEmpty, "\(format) \(name)")
                counts.append(intel.lists.map(\.indicatorCount).reduce(0, +))
            }
            #expect(Set(counts).count == 1, "\(format): \(counts)")
        }
    }

    @Test func seriesCSVReadsAlikeInEveryForm() throws {
        var text = "timestamp,value\n"
        for hour in 0..<300 { text += "2014-07-\(String(format: "%02d", 1 + hour / 24)) \(String(format: "%02d", hour % 24)):00:00,\(hour == 250 ? 9000 : 100 + hour % 24)\n" }
        var outputs: [[String]] = []
        for (name, bytes) in Self.forms(text) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("series-\(UUID().uuidString).csv")
            try Data(bytes).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try VigilProcess.run(["model", "score-series", "--input", file.path])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            let rows = result.stdout.split(separator: "\n").map(String.init)
            #expect(rows.count == 301, "\(name): \(rows.count) rows")
            #expect(rows.first == "timestamp,value,anomaly_score", "\(name)")
            outputs.append(rows)
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
        // A file with no row that can be read is an error, never a plausible output.
        let junk = FileManager.default.temporaryDirectory.appendingPathComponent("junk-\(UUID().uuidString).csv")
        try Data("not,a\nseries,at all\n".utf8).write(to: junk)
        defer { try? FileManager.default.removeItem(at: junk) }
        let failed = try VigilProcess.run(["model", "score-series", "--input", junk.path])
        #expect(failed.status != 0 && failed.stderr.contains("no `timestamp,value` row"))
    }

    @Test func configurationReadsAlikeInEveryForm() throws {
        let text = """
            {
              "detection": {"networkBehaviour": {"sshPorts": [22, 902]}},
              "apiCredentials": [{"accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "s", "accountId": "111122223333"}],
              "eventDelivery": {"webhooks": [{"url": "https://hooks.example/vigil", "secret": "s3cret"}]}
            }

            """
        for (name, bytes) in Self.forms(text) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString).json")
            try Data(bytes).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let configuration = try VigilConfiguration.load(path: file.path)
            #expect(configuration.detection.networkBehaviour.sshPorts == [22, 902], "\(name)")
            #expect(configuration.eventDelivery?.webhooks.count == 1 && configuration.eventDelivery?.maxBackoffSeconds == 300, "\(name)")
        }
    }

    /// Every ```json block of the README that is a configuration (all its members are settings) loads.
    @Test func everyConfigurationExampleInTheReadmeLoads() throws {
        let readme = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```json\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
        let settings: Set<String> = Set(VigilConfiguration.CodingKeys.allCases.map(\.stringValue)).union(["detection"])
        var loaded = 0
        for block in blocks {
            guard let object = try? JSONSerialization.jsonObject(with: Data(block.utf8)) as? [String: Any],
                  !object.isEmpty, Set(object.keys).isSubset(of: settings) else { continue }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString).json")
            try block.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            do { _ = try VigilConfiguration.load(path: file.path) } catch {
                Issue.record("README example does not load: \(error)\n\(block)")
            }
            loaded += 1
        }
        #expect(loaded >= 2)
    }
}
