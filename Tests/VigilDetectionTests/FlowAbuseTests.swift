import Foundation
import Testing
import VigilDetection
import VigilIntel
import VigilLogs
import VigilModel
import VigilTesting

/// Denial of service, DNS that bypasses the VPC resolver, and probes of open ports, from flow logs.
@Suite struct FlowAbuseTests {
    static let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-id flow-direction"

    static func lines(_ count: Int, _ make: (Int) -> String) -> String {
        header + "\n" + (0..<count).map(make).joined(separator: "\n") + "\n"
    }

    static func intel(custom: String = "") throws -> ThreatIntelligence {
        try ThreatIntelligence.load(threatLists: BuiltInLists.sources + (custom.isEmpty ? [] : [ThreatListSource(name: "bad hosts", category: .custom, format: .txt, text: custom)]))
    }

    @Test func denialOfServiceByKind() throws {
        let cases: [(String, String)] = [
            ("6 300000 14400000", "Backdoor:EC2/DenialOfService.Tcp"),          // 48-byte packets: a SYN flood
            ("17 300000 300000000", "Backdoor:EC2/DenialOfService.Udp"),
            ("17 300000 30000000 53", "Backdoor:EC2/DenialOfService.Dns"),
            ("17 300000 30000000 80", "Backdoor:EC2/DenialOfService.UdpOnTcpPorts"),
            ("47 300000 300000000", "Backdoor:EC2/DenialOfService.UnusualProtocol"),
        ]
        for (spec, type) in cases {
            let parts = spec.split(separator: " ")
            let port = parts.count > 3 ? String(parts[3]) : "9999"
            let text = Self.lines(2) { "5 123456789012 eni-1 10.0.0.5 203.0.113.80 40000 \(port) \(parts[0]) \(parts[1]) \(parts[2]) \(1_700_000_000 + $0 * 60) \(1_700_000_059 + $0 * 60) ACCEPT OK i-0dos egress" }
            let findings = DetectionHarness.findings(text: text, detectors: [DenialOfService()], path: "flows.log")
            #expect(findings.map(\.type) == [type], "\(spec)")
            #expect(findings.first?.service?.resourceRole == "ACTOR")
            #expect(findings.first?.service?.action?.networkConnectionAction?.remoteIpDetails?.ipAddressV4 == "203.0.113.80")
        }
    }

    @Test func noDenialOfServiceForBulkTransfersVictimsOrModestVolumes() {
        // A backup: a million full-size TCP packets out.
        let bulk = Self.lines(2) { "5 123456789012 eni-1 10.0.0.5 203.0.113.80 40000 443 6 600000 900000000 \(1_700_000_000 + $0 * 60) \(1_700_000_059 + $0 * 60) ACCEPT OK i-0backup egress" }
        #expect(DetectionHarness.findings(text: bulk, detectors: [DenialOfService()], path: "f.log").isEmpty)
        // The instance is flooded (inbound): it is the victim, not the attacker.
        let victim = Self.lines(2) { "5 123456789012 eni-1 203.0.113.80 10.0.0.5 40000 80 6 300000 14400000 \(1_700_000_000 + $0 * 60) \(1_700_000_059 + $0 * 60) ACCEPT OK i-0web ingress" }
        #expect(DetectionHarness.findings(text: victim, detectors: [DenialOfService()], path: "f.log").isEmpty)
        // Busy but ordinary UDP: 100k packets in five minutes.
        let modest = Self.lines(5) { "5 123456789012 eni-1 10.0.0.5 203.0.113.80 40000 9999 17 20000 2000000 \(1_700_000_000 + $0 * 60) \(1_700_000_059 + $0 * 60) ACCEPT OK i-0voip egress" }
        #expect(DetectionHarness.findings(text: modest, detectors: [DenialOfService()], path: "f.log").isEmpty)
    }

    @Test func dnsOutsideTheVPCResolver() throws {
        let intel = try Self.intel()
        // Each record three times: an instance's DNS is an exchange that repeats.
        func run(_ line: String, settings: UnusualDNSTraffic.Settings = .init()) -> [String] {
            DetectionHarness.findings(text: Self.header + "\n" + String(repeating: line + "\n", count: 3), detectors: [UnusualDNSTraffic(intel: intel, settings: settings)], path: "f.log").map(\.type)
        }
        #expect(run("5 123456789012 eni-1 10.0.0.5 203.0.113.53 40000 53 17 2 140 1700000000 1700000001 ACCEPT OK i-0dns egress") == ["DefenseEvasion:EC2/UnusualDNSResolver"])
        #expect(run("5 123456789012 eni-1 10.0.0.5 8.8.8.8 40000 53 17 2 140 1700000000 1700000001 ACCEPT OK i-0dns egress").isEmpty)
        var settings = UnusualDNSTraffic.Settings()
        settings.usualResolvers = ["203.0.113.0/24"]
        #expect(run("5 123456789012 eni-1 10.0.0.5 203.0.113.53 40000 53 17 2 140 1700000000 1700000001 ACCEPT OK i-0dns egress", settings: settings).isEmpty)
        // A scan's lone SYN to port 53, a rejected packet, and a server answering are not the instance's DNS.
        #expect(run("5 123456789012 eni-1 10.0.0.5 203.0.113.53 40000 53 6 1 60 1700000000 1700000001 ACCEPT OK i-0dns egress").isEmpty)
        #expect(run("5 123456789012 eni-1 10.0.0.5 203.0.113.53 40000 53 17 2 140 1700000000 1700000001 REJECT OK i-0dns egress").isEmpty)
        #expect(run("5 123456789012 eni-1 203.0.113.53 10.0.0.5 40000 53 17 2 140 1700000000 1700000001 ACCEPT OK i-0dns ingress").isEmpty)
        // Once is not enough; an instance that talks DNS to many servers is a recursive resolver.
        let once = Self.header + "\n5 123456789012 eni-1 10.0.0.5 203.0.113.53 40000 53 17 2 140 1700000000 1700000001 ACCEPT OK i-0dns egress\n"
        #expect(DetectionHarness.findings(text: once, detectors: [UnusualDNSTraffic(intel: intel)], path: "f.log").isEmpty)
        let recursive = Self.lines(60) { "5 123456789012 eni-1 10.0.0.5 203.0.\($0 % 20).53 \(40000 + $0) 53 17 2 140 \(1_700_000_000 + $0) \(1_700_000_001 + $0) ACCEPT OK i-0unbound egress" }
        #expect(DetectionHarness.findings(text: recursive, detectors: [UnusualDNSTraffic(intel: intel)], path: "f.log").isEmpty)
        // DNS over HTTPS to a public resolver's address; ordinary HTTPS is not.
        #expect(run("5 123456789012 eni-1 10.0.0.5 1.1.1.1 40000 443 6 20 6000 1700000000 1700000001 ACCEPT OK i-0doh egress") == ["DefenseEvasion:EC2/UnusualDoHActivity"])
        #expect(run("5 123456789012 eni-1 10.0.0.5 203.0.113.44 40000 443 6 20 6000 1700000000 1700000001 ACCEPT OK i-0web egress").isEmpty)
        // DNS over TLS to anyone.
        #expect(run("5 123456789012 eni-1 10.0.0.5 203.0.113.9 40000 853 6 20 6000 1700000000 1700000001 ACCEPT OK i-0dot egress") == ["DefenseEvasion:EC2/UnusualDoTActivity"])
        #expect(run("5 123456789012 eni-1 203.0.113.9 10.0.0.5 40000 853 6 20 6000 1700000000 1700000001 ACCEPT OK i-0dot ingress").isEmpty)
    }

    @Test func openPortsProbedByKnownAttackers() throws {
        let intel = try Self.intel(custom: "198.51.100.7\n198.51.100.8\n")
        let text = Self.lines(4) { i in
            let (src, port) = [("198.51.100.7", 22), ("198.51.100.8", 22), ("198.51.100.7", 8088), ("198.51.100.99", 3306)][i]
            return "5 123456789012 eni-1 \(src) 10.0.0.5 \(50000 + i) \(port) 6 3 180 \(1_700_000_000 + i) \(1_700_000_001 + i) ACCEPT OK i-0open ingress"
        }
        let findings = DetectionHarness.findings(text: text, detectors: [PortProbes(intel: intel)], path: "f.log")
        #expect(findings.map(\.type).sorted() == ["Recon:EC2/PortProbeEMRUnprotectedPort", "Recon:EC2/PortProbeUnprotectedPort"])
        let ssh = try #require(findings.first { $0.type == "Recon:EC2/PortProbeUnprotectedPort" })
        #expect(ssh.service?.count == 2)
        #expect(ssh.service?.resourceRole == "TARGET")
        #expect(ssh.service?.action?.actionType == "PORT_PROBE")
        let details = ssh.service?.action?.portProbeAction?.portProbeDetails ?? []
        #expect(Set(details.compactMap { $0.remoteIpDetails?.ipAddressV4 }) == ["198.51.100.7", "198.51.100.8"])
        #expect(details.allSatisfy { $0.localPortDetails?.port == 22 && $0.localIpDetails?.ipAddressV4 == "10.0.0.5" })
        // Blocked probes, and the instance's own connections out to a listed host, are not probes of an open port.
        let blocked = Self.lines(1) { _ in "5 123456789012 eni-1 198.51.100.7 10.0.0.5 50000 22 6 1 60 1700000000 1700000001 REJECT OK i-0closed ingress" }
        #expect(DetectionHarness.findings(text: blocked, detectors: [PortProbes(intel: intel)], path: "f.log").isEmpty)
        let out = Self.lines(1) { _ in "5 123456789012 eni-1 10.0.0.5 198.51.100.7 50000 22 6 10 900 1700000000 1700000001 ACCEPT OK i-0client egress" }
        #expect(DetectionHarness.findings(text: out, detectors: [PortProbes(intel: intel)], path: "f.log").isEmpty)
    }

    @Test func instanceDetailsFromCloudTrailWhicheverIsReadFirst() throws {
        let run = try #require(try DetectionHarness.corpusEvents("corpora/panther_cloudtrail_tests.jsonl") {
            (($0["event"] as? [String: Any])?["eventName"] as? String) == "RunInstances"
                && (($0["event"] as? [String: Any])?["responseElements"] as? [String: Any]) != nil
        }.first)
        let events = try [run].map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n") + "\n"
        // The flow log knows only the interface: 25 SSH attempts against it.
        let flows = Self.lines(25) { "5 111122223333 eni-03ac9043f76fab96c 198.51.100.3 192.168.1.95 \(50000 + $0) 22 6 3 180 \(1_734_374_500 + $0) \(1_734_374_510 + $0) REJECT OK - ingress" }
        for cloudTrailFirst in [true, false] {
            let inventory = InstanceInventory()
            let aggregator = FindingAggregator()
            aggregator.resourceCompleter = { inventory.complete(&$0) }
            let engine = DetectionEngine(detectors: [inventory, NetworkBehaviour()], sink: aggregator)
            let reader = LogReader()
            let inputs = cloudTrailFirst ? [(events, "ct.jsonl"), (flows, "flows.log")] : [(flows, "flows.log"), (events, "ct.jsonl")]
            for (text, path) in inputs {
                var bytes = Array(text.utf8)
                bytes.withUnsafeMutableBytes { _ = reader.read(bytes: UnsafeRawBufferPointer($0), path: path, into: engine) }
            }
            let finding = try #require(aggregator.findings.first)
            #expect(finding.type == "UnauthorizedAccess:EC2/SSHBruteForce")
            let details = try #require(finding.resource.instanceDetails)
            #expect(details.instanceId == "i-07d06021b0da55115")
            #expect(details.instanceType == "p2.xlarge")
            #expect(details.imageId == "ami-013e7d3a6659f358d")
            #expect(details.availabilityZone == "us-west-2a")
            #expect(details.iamInstanceProfile?.arn == "arn:aws:iam::111122223333:instance-profile/profile-id")
            let interface = try #require(details.networkInterfaces?.first)
            #expect(interface.networkInterfaceId == "eni-03ac9043f76fab96c")
            #expect(interface.privateIpAddress == "192.168.1.95")
            #expect(interface.subnetId == "subnet-083e5906ef2809ac2")
            #expect(interface.vpcId == "vpc-0330bfd33da75b36e")
            #expect(interface.securityGroups?.first?.groupId == "sg-03d704b35372e74e8")
        }
    }
}
