import Foundation
import Testing
import VigilSimulation
import VigilTesting

/// `vigil simulate` and `vigil model score-series`, run as a user runs them.
@Suite struct BaselineCommandTests {
    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString)")
    }

    @Test func simulatedEstateAttacksAreDetected() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try VigilProcess.run(["simulate", "--output", folder.path, "--evaluate"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("detected 14 of 14 attacks"), "\(run.stdout)")
        // The false findings are the benign changes the simulator plants (a new CI instance type, an
        // administrator onboarding a contractor, a first use of a security-group API): a few, not many.
        let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("false findings after the learning period:") })
        let count = Int(line.split(separator: " ")[6]) ?? -1
        #expect((0...6).contains(count), "\(line)")
        let manifest = try JSONDecoder().decode(EstateSimulator.Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("attacks.json")))
        #expect(manifest.attacks.count == 14 && manifest.benignAfterLearning.values.reduce(0, +) > 50_000)
        // The same seed writes the same estate.
        let again = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: again) }
        #expect(try VigilProcess.run(["simulate", "--output", again.path, "--days", "2", "--accounts", "1", "--learning-days", "1"]).status == 0)
        let other = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: other) }
        #expect(try VigilProcess.run(["simulate", "--output", other.path, "--days", "2", "--accounts", "1", "--learning-days", "1"]).status == 0)
        let files = try FileManager.default.subpathsOfDirectory(atPath: again.path).sorted()
        #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: other.path).sorted()))
        for file in files where file.hasSuffix(".json") && !file.hasSuffix("attacks.json") {
            #expect(FileManager.default.contentsEqual(atPath: again.appendingPathComponent(file).path, andPath: other.appendingPathComponent(file).path))
        }
    }

    @Test func scoreSeriesAddsAnOnlineScoreColumn() throws {
        let folder = Self.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var random = SplitMix64(state: 9)
        var rows = ["timestamp,value"]
        for i in 0..<2000 {
            var value = 50 + 20 * sin(Double(i) * 2 * .pi / 288) + Double(random.below(100)) / 20
            if i == 1500 { value += 120 }
            let minutes = i * 5
            rows.append(String(format: "2014-07-%02d %02d:%02d:00,%.3f", 1 + minutes / 1440, minutes / 60 % 24, minutes % 60, value))
        }
        rows.insert("not a row", at: 100)
        let input = folder.appendingPathComponent("series.csv"), output = folder.appendingPathComponent("scored.csv")
        try (rows.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let run = try VigilProcess.run(["model", "score-series", "--input", input.path, "--output", output.path])
        #expect(run.status == 0)
        #expect(run.stderr.contains("series.csv:101: expected `timestamp,value`"))
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "timestamp,value,anomaly_score")
        #expect(lines.count == rows.count)
        let scores = lines.dropFirst().map { Double($0.split(separator: ",").last ?? "") ?? -1 }
        #expect(scores.allSatisfy { (0...1).contains($0) })
        let spike = scores[1501]  // the header is not scored; "not a row" is one line before
        #expect(spike > 0.3 && spike == scores.max())
    }
}
