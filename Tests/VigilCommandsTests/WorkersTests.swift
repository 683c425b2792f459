import Foundation
import Testing
import VigilTesting

/// The analysis split among partitions (one per core) finds what one partition finds, finding for
/// finding: a simulated estate of three accounts in S3 layout (read by its accounts' partitions at
/// once), the shared samples and the rule-test corpora (loose files, read with every partition
/// paused).
@Suite struct WorkersTests {
    @Test func findingsDoNotDependOnTheNumberOfWorkers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-workers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let simulated = try VigilProcess.run(["simulate", "--output", folder.path, "--days", "10", "--accounts", "3"])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let inputs = [folder.path, SharedData.path("samples"), SharedData.path("corpora")]
        var answers: [Int: String] = [:]
        for workers in [1, 2, 3] {
            let run = try VigilProcess.run(["scan", "--no-geoip", "--format", "json", "--workers", "\(workers)"] + inputs)
            #expect(run.status == 0, "\(run.stderr)")
            answers[workers] = run.stdout
        }
        let findings = try #require(JSONSerialization.jsonObject(with: Data(answers[1]!.utf8)) as? [String: Any])["findings"] as? [Any]
        #expect((findings?.count ?? 0) >= 10)
        #expect(answers[2] == answers[1])
        #expect(answers[3] == answers[1])
    }
}
