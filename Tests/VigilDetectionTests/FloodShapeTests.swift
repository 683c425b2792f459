import Testing
import VigilDetection
import VigilTesting

/// Floods as flood tools (hping3, the GuardDuty tester's scripts) leave them in flow logs — many
/// small records from changing source ports, or a one-sided stream — rebuilt from scratch, and the
/// heavy but two-sided traffic that is not a flood.
@Suite struct FloodShapeTests {
    static let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-id tcp-flags flow-direction"
    static let t0 = 1_700_000_000

    /// One record: `minute` selects the 60-second aggregation interval.
    static func line(_ src: String, _ dst: String, _ sport: Int, _ dport: Int, _ proto: Int, _ packets: Int, _ bytes: Int,
                     minute: Int, flags: Int = 0, egress: Bool = true, instance: String = "i-0flood") -> String {
        let start = t0 + minute * 60
        return "5 123456789012 eni-1 \(src) \(dst) \(sport) \(dport) \(proto) \(packets) \(bytes) \(start) \(start + 59) ACCEPT OK \(instance) \(flags) \(egress ? "egress" : "ingress")"
    }

    static func types(_ lines: [String]) -> [String] {
        DetectionHarness.findings(text: header + "\n" + lines.joined(separator: "\n") + "\n", detectors: [DenialOfService()], path: "flows.log").map(\.type)
    }

    @Test func synFloodOfSingleSynRecordsFromChangingPorts() {
        // ~20,000 SYN-only records (one 44-byte packet each) to port 443 of one host in two minutes, never answered.
        let flood = (0..<20_000).map { Self.line("10.0.0.5", "198.51.100.20", 1024 + ($0 * 7) % 64_000, 443, 6, 1, 44, minute: $0 / 10_000, flags: 2) }
        #expect(Self.types(flood) == ["Backdoor:EC2/DenialOfService.Tcp"])
        // Answered with SYN-ACKs, it is still a flood: the instance never completes a handshake.
        let answered = flood.enumerated().flatMap { i, line in
            [line, Self.line("198.51.100.20", "10.0.0.5", 443, 1024 + (i * 7) % 64_000, 6, 1, 44, minute: i / 10_000, flags: 18, egress: false)]
        }
        #expect(Self.types(answered) == ["Backdoor:EC2/DenialOfService.Tcp"])
    }

    @Test func dnsFloodOfSmallDatagramsFromNewPorts() {
        // ~100,000 64-byte datagrams to port 53 of one public address in two minutes, a new source port each.
        let flood = (0..<100_000).map { Self.line("10.0.0.5", "203.0.113.53", 1024 + $0 % 64_000, 53, 17, 1, 64, minute: $0 / 50_000) }
        #expect(Self.types(flood) == ["Backdoor:EC2/DenialOfService.Dns"])
    }

    @Test func igmpStreamIsAnUnusualProtocolFlood() {
        // ~150,000 IGMP packets a minute to one public address for three minutes.
        let flood = (0..<3).map { Self.line("10.0.0.5", "203.0.113.9", 0, 0, 2, 150_000, 150_000 * 32, minute: $0) }
        #expect(Self.types(flood) == ["Backdoor:EC2/DenialOfService.UnusualProtocol"])
    }

    @Test func twoSidedTrafficIsNotAFlood() {
        // A WireGuard tunnel: ~2 GB each way in ten minutes over one socket pair, in either order of records.
        for replyFirst in [false, true] {
            let tunnel = (0..<10).flatMap { minute -> [String] in
                let out = Self.line("10.0.0.5", "203.0.113.77", 51820, 51820, 17, 150_000, 200_000_000, minute: minute)
                let back = Self.line("203.0.113.77", "10.0.0.5", 51820, 51820, 17, 150_000, 200_000_000, minute: minute, egress: false)
                return replyFirst ? [back, out] : [out, back]
            }
            #expect(Self.types(tunnel).isEmpty, "replies first: \(replyFirst)")
        }
        // A busy mail server's DNS: 8,000 queries in five minutes from changing ports, each answered.
        let resolver = (0..<8_000).flatMap { i in
            [Self.line("10.0.0.5", "203.0.113.53", 1024 + i, 53, 17, 1, 70, minute: i / 1_600),
             Self.line("203.0.113.53", "10.0.0.5", 53, 1024 + i, 17, 1, 180, minute: i / 1_600, egress: false)]
        }
        #expect(Self.types(resolver).isEmpty)
        // A crawler: 10,000 short HTTPS connections to one API, each carrying a request and an answer.
        let crawler = (0..<10_000).map { Self.line("10.0.0.5", "198.51.100.20", 1024 + $0, 443, 6, 12, 4_000, minute: $0 / 2_500, flags: 27) }
        #expect(Self.types(crawler).isEmpty)
        // A media stream out that is acknowledged (RTCP back) at a few percent is still a flood only when one-sided.
        let stream = (0..<5).map { Self.line("10.0.0.5", "203.0.113.90", 40000, 5004, 17, 80_000, 100_000_000, minute: $0) }
        let acknowledged = stream + (0..<5).map { Self.line("203.0.113.90", "10.0.0.5", 5004, 40000, 17, 20_000, 2_000_000, minute: $0, egress: false) }
        #expect(Self.types(acknowledged.sorted { $0.split(separator: " ")[10] < $1.split(separator: " ")[10] }).isEmpty)
        // A scan of every port of one host: thousands of SYN-only records from changing ports, but to many ports — reconnaissance, not a flood.
        let scan = (0..<20_000).map { Self.line("10.0.0.5", "198.51.100.20", 40_000 + $0 % 20_000, 1 + $0, 6, 1, 44, minute: $0 / 10_000, flags: 2) }
        #expect(Self.types(scan).isEmpty)
    }
}
