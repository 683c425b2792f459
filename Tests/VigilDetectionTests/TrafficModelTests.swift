import Foundation
import Testing
@testable import VigilDetection
import VigilModel
import VigilSimulation
import VigilTesting

/// The per-instance traffic models and the series model behind them.
@Suite struct TrafficModelTests {
    static let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-id flow-direction"
    static let t0: Int64 = 1_790_000_000 - 1_790_000_000 % 86_400

    static func flow(_ time: Int64, to remote: String, port: Int, bytes: Int, localPort: Int = 40_000) -> String {
        "5 111122223333 eni-0abc 10.0.1.5 \(remote) \(localPort) \(port) 6 \(max(2, bytes / 1400)) \(bytes) \(time - 50) \(time) ACCEPT OK i-0abc egress"
    }

    /// Days of an instance's traffic: every hour, a daily cycle of uploads to one host on 443.
    static func routine(days: Int) -> [String] {
        var lines: [String] = []
        for hour in 0..<(days * 24) {
            let busy = 0.3 + 0.7 * max(0, sin(Double.pi * Double(hour % 24 - 6) / 16))
            for piece in 0..<3 {
                lines.append(flow(t0 + Int64(hour * 3600 + piece * 1000 + 100), to: "52.216.1.1", port: 443, bytes: Int(20_000_000 * busy) / 3))
            }
        }
        return lines
    }

    static func findings(_ lines: [String]) -> [Finding] {
        DetectionHarness.findings(text: header + "\n" + lines.joined(separator: "\n") + "\n", detectors: [InstanceTraffic()])
    }

    static func spike(at hour: Int) -> [String] {
        (0..<50).map { flow(t0 + Int64(hour * 3600 + $0 * 60 + 30), to: "45.32.1.1", port: 443, bytes: 100_000_000) }
    }

    @Test func unusualVolumeToOneHostAfterLearning() throws {
        var lines = Self.routine(days: 10)
        let hour = 9 * 24 + 3
        lines.insert(contentsOf: Self.spike(at: hour), at: hour * 3 + 3)
        let findings = Self.findings(lines)
        #expect(findings.map(\.type) == ["Behavior:EC2/TrafficVolumeUnusual"])
        let finding = try #require(findings.first)
        #expect(finding.service?.action?.networkConnectionAction?.remoteIpDetails?.ipAddressV4 == "45.32.1.1")
        #expect(finding.resource.instanceDetails?.instanceId == "i-0abc")
        #expect(finding.service?.detection?.anomaly?.unusual?.behavior?["INSTANCE"]?["BYTES_TO_ONE_HOST_PER_HOUR"]?.observations?.text == ["5000.0 MB"])
        // The routine alone, and the same spike while the instance is still learning, raise nothing.
        #expect(Self.findings(Self.routine(days: 10)).isEmpty)
        var early = Self.routine(days: 10)
        early.insert(contentsOf: Self.spike(at: 3 * 24 + 3), at: (3 * 24 + 3) * 3 + 3)
        #expect(Self.findings(early).isEmpty)
    }

    @Test func unusualServerPortAfterLearning() throws {
        var lines = Self.routine(days: 9)
        let late = Self.t0 + 8 * 86_400 + 5000
        lines.insert(Self.flow(late, to: "188.120.1.1", port: 6667, bytes: 3000), at: 8 * 72 + 6)
        let findings = Self.findings(lines)
        #expect(findings.map(\.type) == ["Behavior:EC2/NetworkPortUnusual"])
        #expect(findings.first?.service?.action?.networkConnectionAction?.remotePortDetails?.port == 6667)
        // A reply from a client's ephemeral port is not a server port; the same connection on day 2 is learning.
        var replies = Self.routine(days: 9)
        replies.insert(Self.flow(late, to: "188.120.1.1", port: 51_234, bytes: 3000, localPort: 443), at: 8 * 72 + 6)
        #expect(Self.findings(replies).isEmpty)
        var early = Self.routine(days: 9)
        early.insert(Self.flow(Self.t0 + 2 * 86_400 + 5000, to: "188.120.1.1", port: 6667, bytes: 3000), at: 2 * 72 + 6)
        #expect(Self.findings(early).isEmpty)
    }

    @Test func instanceModelsSurviveSaveAndRestore() throws {
        let learner = InstanceTraffic()
        let text = Self.header + "\n" + Self.routine(days: 9).joined(separator: "\n") + "\n"
        _ = DetectionHarness.findings(text: text, detectors: [learner])
        let restored = InstanceTraffic()
        try restored.restoreState(try learner.saveState())
        let attack = Self.header + "\n" + Self.flow(Self.t0 + 9 * 86_400 + 100, to: "188.120.1.1", port: 6667, bytes: 3000) + "\n"
        #expect(DetectionHarness.findings(text: attack, detectors: [restored]).map(\.type) == ["Behavior:EC2/NetworkPortUnusual"])
        #expect(DetectionHarness.findings(text: attack, detectors: [InstanceTraffic()]).isEmpty)
    }

    // MARK: - The series model

    static func series(_ count: Int, seed: UInt64 = 3) -> [Double] {
        var random = SplitMix64(state: seed)
        return (0..<count).map { i in
            let daily = 100 * sin(2 * Double.pi * Double(i) / 288)
            return 500 + daily + Double(random.below(2000)) / 100 - 10
        }
    }

    @Test func scoresAreOnlineAndInRange() {
        let values = Self.series(3000)
        var whole = SeriesAnomalyModel()
        let all = values.enumerated().map { whole.score($0.element, time: Int64($0.offset * 300)) }
        var prefix = SeriesAnomalyModel()
        let first = values.prefix(1500).enumerated().map { prefix.score($0.element, time: Int64($0.offset * 300)) }
        #expect(Array(all.prefix(1500)) == first)  // no look-ahead: later points change nothing before them
        #expect(all.allSatisfy { (0...1).contains($0) })
    }

    @Test func aSpikeAndALevelShiftStandOutOfDailyNoise() {
        var values = Self.series(4000)
        values[3000] += 400
        for i in 3500..<4000 { values[i] += 250 }
        var model = SeriesAnomalyModel()
        let scores = values.enumerated().map { model.score($0.element, time: Int64($0.offset * 300)) }
        let quiet = scores[600..<2990].max() ?? 1
        // 0.6 is a tail probability of about 10^-7.5.
        #expect(scores[3000] > 0.6)
        #expect((scores[3500...3505].max() ?? 0) > 0.6)
        #expect(quiet < scores[3000])
        #expect(scores[600..<2990].filter { $0 >= 0.6 }.count <= 2)
    }

    @Test func aDailySquareWaveAndGapsAreRoutineButAShiftIsNot() {
        // Two weeks of a five-minute square wave (high by day, low by night) with a little noise,
        // timestamps jittered and two gaps of several hours: every edge is the hour's usual change.
        var random = SplitMix64(state: 7)
        var time: Int64 = 1_700_006_400 - 1_700_006_400 % 86_400
        var points: [(Int64, Double)] = []
        for i in 0..<(14 * 288) {
            time += 300 + Int64(random.below(41)) - 20
            if i == 1500 || i == 2900 { time += 6 * 3600 }
            let high = time % 86_400 < 43_200
            points.append((time, (high ? 200 : 100) + Double(random.below(200)) / 100))
        }
        // Day 12 on: the level stays 60 higher.
        for i in (12 * 288)..<points.count { points[i].1 += 60 }
        var model = SeriesAnomalyModel()
        let scores = points.map { model.score($0.1, time: $0.0) }
        let routine = scores[(3 * 288)..<(12 * 288)]
        let shift = scores[(12 * 288)..<(12 * 288 + 12)].max() ?? 0
        // The shift stands above every routine point, edges and gaps included.
        #expect(shift > 0.6)
        #expect(shift > (routine.max() ?? 1), "routine peaks: \(routine.indices.filter { routine[$0] >= 0.55 }.map { "\(points[$0].0 % 86_400 / 3600)h: \(routine[$0])" })")
    }
}
