import Foundation
import Testing
import VigilDetection
import VigilLogs
import VigilModel
import VigilTesting

/// Scans, sweeps and brute force on the shared samples and on flows built for each direction.
@Suite struct NetworkBehaviourTests {
    static func scan(_ paths: [String], thresholds: NetworkBehaviour.Thresholds = .init()) throws -> [Finding] {
        let scan = LogScan(detectors: [NetworkBehaviour(thresholds: thresholds)])
        for file in try LogFileFinder.files(under: paths.map(SharedData.path)) { scan.read(path: file) }
        return scan.findings
    }

    static func scan(text: String, thresholds: NetworkBehaviour.Thresholds = .init()) -> [Finding] {
        DetectionHarness.findings(text: text, detectors: [NetworkBehaviour(thresholds: thresholds)], path: "flows.log")
    }

    @Test func verticalPortScanSample() throws {
        let findings = try Self.scan(["samples/zeek_portscan"])
        #expect(findings.map(\.type) == ["Recon:EC2/Portscan"])
        let scan = try #require(findings.first)
        #expect(scan.service?.resourceRole == "ACTOR")
        #expect(scan.resource.instanceDetails?.instanceId == "i-0a1b2c3d4e5f60718")
        #expect(scan.service?.action?.networkConnectionAction?.connectionDirection == "OUTBOUND")
    }

    @Test func mirailikeTelnetSweepSample() throws {
        let findings = try Self.scan(["samples/s3_v2"])
        #expect(Set(findings.map(\.type)) == ["Impact:EC2/PortSweep"])
        let ports = Set(findings.compactMap { $0.service?.action?.networkConnectionAction?.remotePortDetails?.port })
        #expect(ports.isSubset(of: [23, 2323, 8080]))
    }

    @Test func sshBruteForceSampleOnItsNonStandardPort() throws {
        // The sample's SSH server listens on 902: flow logs cannot see that it is SSH unless told.
        #expect(try Self.scan(["samples/s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026"]).isEmpty)
        var thresholds = NetworkBehaviour.Thresholds()
        thresholds.sshPorts = [22, 902]
        let findings = try Self.scan(["samples/s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026"], thresholds: thresholds)
        #expect(findings.map(\.type) == ["UnauthorizedAccess:EC2/SSHBruteForce"])
        let finding = try #require(findings.first)
        #expect(finding.service?.resourceRole == "TARGET")
        #expect(finding.severity == 2.0)
        #expect(finding.service?.action?.networkConnectionAction?.remoteIpDetails?.ipAddressV4 == "147.32.80.40")
        #expect(finding.service?.action?.networkConnectionAction?.localPortDetails?.port == 902)
    }

    @Test func miningSessionsAndBenignTrafficRaiseNothing() throws {
        #expect(try Self.scan(["samples/s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2017"]).isEmpty)
        #expect(try Self.scan(["samples/s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2022"]).isEmpty)
    }

    static let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-id flow-direction"

    static func lines(_ count: Int, _ make: (Int) -> String) -> String {
        header + "\n" + (0..<count).map(make).joined(separator: "\n") + "\n"
    }

    @Test func bruteForceInBothDirections() {
        // The instance attacks out: 25 connections to a remote SSH server.
        let outbound = Self.lines(25) { "5 123456789012 eni-1 10.0.0.5 203.0.113.9 \(40000 + $0) 22 6 3 180 \(1_700_000_000 + $0) \(1_700_000_010 + $0) ACCEPT OK i-0out egress" }
        let actor = Self.scan(text: outbound)
        #expect(actor.map(\.type) == ["UnauthorizedAccess:EC2/SSHBruteForce"])
        #expect(actor.first?.service?.resourceRole == "ACTOR")
        #expect(actor.first?.severity == 8.0)
        // The instance is attacked over RDP.
        let inbound = Self.lines(25) { "5 123456789012 eni-2 198.51.100.3 10.0.0.6 \(50000 + $0) 3389 6 3 180 \(1_700_000_000 + $0) \(1_700_000_010 + $0) REJECT OK i-0in ingress" }
        let target = Self.scan(text: inbound)
        #expect(target.map(\.type) == ["UnauthorizedAccess:EC2/RDPBruteForce"])
        #expect(target.first?.service?.resourceRole == "TARGET")
        // WinRM: outbound only.
        let winrmOut = Self.lines(25) { "5 123456789012 eni-3 10.0.0.7 203.0.113.10 \(40000 + $0) 5985 6 3 180 \(1_700_000_000 + $0) \(1_700_000_010 + $0) ACCEPT OK i-0winrm egress" }
        #expect(Self.scan(text: winrmOut).map(\.type) == ["Impact:EC2/WinRMBruteForce"])
        let winrmIn = Self.lines(25) { "5 123456789012 eni-3 203.0.113.10 10.0.0.7 \(40000 + $0) 5985 6 3 180 \(1_700_000_000 + $0) \(1_700_000_010 + $0) ACCEPT OK i-0winrm ingress" }
        #expect(Self.scan(text: winrmIn).isEmpty)
    }

    @Test func spambotSendsToManyMailServers() {
        let spam = Self.lines(12) { "5 123456789012 eni-4 10.0.0.8 203.0.\($0).25 \(40000 + $0) 25 6 12 2400 1700000000 1700000060 ACCEPT OK i-0spam egress" }
        let findings = Self.scan(text: spam)
        #expect(findings.map(\.type) == ["Backdoor:EC2/Spambot"])
        #expect(findings.first?.service?.resourceRole == "ACTOR")
        let few = Self.lines(5) { "5 123456789012 eni-4 10.0.0.8 203.0.\($0).25 \(40000 + $0) 25 6 12 2400 1700000000 1700000060 ACCEPT OK i-0mail egress" }
        #expect(Self.scan(text: few).isEmpty)
        // A mail server receiving from many senders is not a spam bot.
        let inbound = Self.lines(30) { "5 123456789012 eni-5 198.51.\($0).9 10.0.0.9 \(40000 + $0) 25 6 12 2400 1700000000 1700000060 ACCEPT OK i-0mx ingress" }
        #expect(Self.scan(text: inbound).isEmpty)
    }

    @Test func belowThresholdsOrSpreadOverTimeRaisesNothing() {
        // 19 attempts: one short of the threshold.
        let few = Self.lines(19) { "5 123456789012 eni-1 198.51.100.3 10.0.0.6 \(50000 + $0) 22 6 3 180 1700000000 1700000010 REJECT OK i-0in ingress" }
        #expect(Self.scan(text: few).isEmpty)
        // 40 attempts, one every 10 minutes: never 20 in one 5-minute window.
        let slow = Self.lines(40) { "5 123456789012 eni-1 198.51.100.3 10.0.0.6 \(50000 + $0) 22 6 3 180 \(1_700_000_000 + $0 * 600) \(1_700_000_010 + $0 * 600) REJECT OK i-0in ingress" }
        #expect(Self.scan(text: slow).isEmpty)
        // A busy web server: many clients, one connection each.
        let web = Self.lines(500) { "5 123456789012 eni-1 198.51.\($0 / 250).\($0 % 250) 10.0.0.6 \(50000 + $0) 443 6 9 4000 1700000000 1700000010 ACCEPT OK i-0web ingress" }
        #expect(Self.scan(text: web).isEmpty)
    }

    @Test func floodOfDistinctSourcesStaysBounded() {
        var thresholds = NetworkBehaviour.Thresholds()
        thresholds.tableCapacity = 4096
        let detector = NetworkBehaviour(thresholds: thresholds)
        #expect(detector.footprint < detector.maximumFootprint / 100)  // tables start small
        var counter = WindowedDistinctCounter(window: 300, threshold: 20, capacity: 4096)
        var largest = 0
        for i in 0..<2_000_000 {
            _ = counter.add(key: mixKey(UInt64(i), 7), value: UInt32(i & 0xffff), time: 1_700_000_000 + Int64(i / 1000))
            largest = max(largest, counter.count)
        }
        #expect(largest <= counter.capacity)
        #expect(counter.footprint == counter.maximumFootprint)
        #expect(counter.maximumFootprint == 8192 * 48)
        // The detector's tables grow to their bound and no further: a flood of distinct sources adds nothing past it.
        let flood = Self.lines(20_000) { "5 123456789012 eni-1 198.\($0 / 65536 % 256).\($0 / 256 % 256).\($0 % 256) 10.0.0.6 \(50000 + $0 % 10000) 22 6 1 60 \(1_700_000_000 + $0 / 100) \(1_700_000_000 + $0 / 100) REJECT OK i-0in ingress" }
        _ = DetectionHarness.findings(text: flood, detectors: [detector])
        #expect(detector.footprint <= detector.maximumFootprint)
    }
}
