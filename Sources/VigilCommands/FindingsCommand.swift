import ArgumentParser
import Foundation
import VigilModel
import VigilStore

/// `vigil findings import`: findings from elsewhere into a store.
struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "Work with the findings in a store.",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge GuardDuty-schema findings into a store.",
            discussion: """
                Reads findings in GuardDuty's JSON — what GuardDuty exports to S3 (one a line), what \
                `vigil scan --format json` prints ({"findings": […]}), or an array — and merges them into the store in \
                --data-dir as `vigil serve` merges its own: the same ID adds counts and widens first and \
                last seen. A line that is not a finding is reported with its file and line, and the \
                rest is imported. Run it while no `vigil serve` uses the store, or beside one (SQLite \
                serialises the writes).
                """)

        @Argument(help: "Files of findings (JSON lines or a JSON array).")
        var files: [String]

        @Option(help: "Folder of the store (vigil.sqlite). Default: $VIGIL_DATA_DIR or ~/.local/share/vigil.")
        var dataDir: String?

        @Option(help: "The store: sqlite:FOLDER or postgres://USER@HOST:PORT/DATABASE. Default: $VIGIL_STORE or SQLite in --data-dir.")
        var store: String?

        func run() throws {
            let directory = dataDir ?? ProcessInfo.processInfo.environment["VIGIL_DATA_DIR"]
                ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share/vigil")
            let location: StoreLocation
            do { location = try StoreLocation(option: self.store, configuration: nil, dataDirectory: directory) } catch {
                Terminal.writeError("vigil findings import: \(error)\n")
                throw ExitCode(64)
            }
            let store = try location.open()
            let decoder = JSONDecoder()
            var imported = 0, bad = 0
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    Terminal.writeError("vigil findings import: cannot read \(file)\n")
                    throw ExitCode(66)
                }
                var batch: [Finding] = []
                func flush() throws {
                    try store.merge(batch)
                    imported += batch.count
                    batch.removeAll(keepingCapacity: true)
                }
                let trimmed = data.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
                // `vigil scan --format json` and GetFindings answers: {"findings": […]}.
                if trimmed.first == UInt8(ascii: "{"), let document = try? decoder.decode(FindingList.self, from: Data(trimmed)) {
                    batch = document.findings
                    try flush()
                    continue
                }
                if trimmed.first == UInt8(ascii: "[") {
                    do {
                        batch = try decoder.decode([Finding].self, from: Data(trimmed))
                    } catch {
                        Terminal.writeError("vigil: \(file): not an array of findings: \(error)\n")
                        bad += 1
                    }
                    try flush()
                    continue
                }
                var line = 0
                var start = data.startIndex
                while start < data.endIndex {
                    let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
                    line += 1
                    let text = data[start..<end]
                    start = end < data.endIndex ? data.index(after: end) : end
                    guard text.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
                    do {
                        batch.append(try decoder.decode(Finding.self, from: text))
                    } catch {
                        bad += 1
                        if bad <= 20 { Terminal.writeError("vigil: \(file):\(line): not a finding\n") }
                    }
                    if batch.count >= 5_000 { try flush() }
                }
                try flush()
            }
            // The tables' shape may have changed a lot: the planner's statistics follow it.
            try store.refreshPlannerStatistics()
            Terminal.writeError("vigil findings import: \(imported) findings merged into \(location), \(bad) not readable\n")
            if bad > 0 && imported == 0 { throw ExitCode(65) }
        }
    }
}

/// `{"findings": […]}`.
private struct FindingList: Decodable {
    var findings: [Finding]
}
