import Foundation
import VigilDetection
import VigilGeo
import VigilLogs
import VigilModel
import VigilSimulation

/// What the principal profiles cost in memory: many principals, each calling many APIs from
/// several networks, countries and tools, until every profile table is full.
enum BaselineBench {
    static func run(principals: Int = 20_000, eventsEach: Int = 120) -> String {
        let detector = AnomalousBehaviour(geo: SimulatedGeography.enricher())
        let apis = (0..<150).map { "DescribeThing\($0)" }
        let networks = SimulatedGeography.all
        let agents = ["aws-cli/2.17.20 Python/3.11.9", "Boto3/1.35.36 Python/3.12", "aws-sdk-go/1.44.0", "terraform/1.9.5", "Mozilla/5.0 (X11)",
                      "aws-sdk-java/1.12.700", "aws-sdk-js/3.600.0", "console.amazonaws.com", "pulumi/3.120", "aws-sdk-rust/1.3"]
        let regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1", "sa-east-1", "ca-central-1",
                       "eu-north-1", "ap-south-1", "us-east-2", "af-south-1", "me-south-1", "ap-east-1"]
        var random = SplitMix64(state: 0xBA5E)
        let before = residentBytes()
        let started = Date()
        var batch: [String] = []
        batch.reserveCapacity(10_000)
        var total = 0
        // One engine for every batch, so that what grows is the profiles.
        let aggregator = FindingAggregator(capacity: 1000)
        let engine = DetectionEngine(detectors: [detector], sink: aggregator)
        let reader = LogReader()
        func flush() {
            var bytes = Array((batch.joined(separator: "\n") + "\n").utf8)
            bytes.withUnsafeMutableBytes { _ = reader.read(bytes: UnsafeRawBufferPointer($0), path: "bench/profiles.jsonl", into: engine) }
            batch.removeAll(keepingCapacity: true)
        }
        for p in 0..<principals {
            for e in 0..<eventsEach {
                let time = Timestamp(secondsSinceEpoch: 1_790_000_000 + Int64(e * 600 + p % 600)).iso8601
                let address = networks[random.below(networks.count)].address(&random)
                batch.append(#"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDA\#(p)","arn":"arn:aws:iam::\#(100_000_000_000 + p % 50):user/u\#(p)","accountId":"\#(100_000_000_000 + p % 50)","userName":"u\#(p)"},"eventTime":"\#(time)","eventSource":"ec2.amazonaws.com","eventName":"\#(apis[random.below(apis.count)])","awsRegion":"\#(regions[random.below(regions.count)])","sourceIPAddress":"\#(address)","userAgent":"\#(agents[random.below(agents.count)])","eventID":"\#(p)-\#(e)","recipientAccountId":"\#(100_000_000_000 + p % 50)"}"#)
                total += 1
            }
            if batch.count >= 10_000 { flush() }
        }
        flush()
        let seconds = Date().timeIntervalSince(started)
        let after = residentBytes()
        let state = (try? detector.saveState().count) ?? 0
        let perProfile = Double(after - before) / Double(detector.profileCount)
        return String(format: "Baselines: %d principal profiles (+%d account profiles), tables full (96 APIs, 24 networks, 12 countries, 16 agents, 12 regions), from %d events at %.0f events/s: resident memory +%.1f MB in this process, %.0f bytes a profile (%.0f counted in the tables); saved state %.1f MB\n",
                      principals, detector.profileCount - principals, total, Double(total) / seconds, Double(after - before) / 1e6, perProfile,
                      Double(detector.footprint) / Double(detector.profileCount), Double(state) / 1e6)
    }

    /// Current resident memory (Linux `/proc/self/statm`).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
