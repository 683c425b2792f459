import Foundation
import Testing
import VigilTesting

/// A short run of `vigil bench` (the full one is `vigil bench` on a release build): every row is
/// measured and printed, the defaults and workers rows included.
@Suite struct BenchCommandTests {
    @Test func shortBenchMeasuresEveryRow() throws {
        let run = try VigilProcess.run(["bench", "--suite", "logs", "--events", "2000", "--flow-records", "20000", "--files", "8",
                                        "--repeat", "1", "--no-python", "--quick", "--indicators", "10000",
                                        "--rules", SharedData.path("sigma/rules")])
        #expect(run.status == 0, "\(run.stderr)")
        for row in ["Vigil parser (Swift over simdjson)", "vigil scan end to end, .json.gz", "CloudTrail .json, 1 worker (target 700k)",
                    "Flow logs .log.gz, 1 worker (target 3M)", "Every core:", "Geolocation costs",
                    "CloudTrail .json, 1 worker, --no-rule-pack", "+ 57 Sigma rules", "Vigil's rule pack (", "57 more Sigma rules"] {
            #expect(run.stdout.contains(row), "\(row)")
        }
    }
}
