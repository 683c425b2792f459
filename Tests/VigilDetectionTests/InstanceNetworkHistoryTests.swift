import Foundation
import Testing
import VigilDetection
import VigilIntel
import VigilLogs
import VigilModel
import VigilTesting

/// Network behaviour judged by facts Vigil carries (Tor's directory authorities), by what the
/// instance itself resolved (mining pools' answers), and by the instance's own history (its DNS
/// resolvers) — and the near misses that must stay quiet (scanners on web ports, DNS blocklist and
/// hash lookups, long AWS names). Each scenario is rebuilt from scratch.
@Suite struct InstanceNetworkHistoryTests {
    static let suffixes = PublicSuffixList.load(path: SharedData.path("psl/public_suffix_list_2026-10-22.dat"))!
    static let flowHeader = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-id flow-direction"
    static let t0 = 1_700_000_000

    static func flow(_ src: String, _ dst: String, _ sport: Int, _ dport: Int, packets: Int = 20, bytes: Int = 4_000, at second: Int,
                     egress: Bool = true, instance: String = "i-0miner", action: String = "ACCEPT") -> String {
        "5 123456789012 eni-1 \(src) \(dst) \(sport) \(dport) \(dport == 53 ? 17 : 6) \(packets) \(bytes) \(t0 + second) \(t0 + second + 59) \(action) OK \(instance) \(egress ? "egress" : "ingress")"
    }

    static func query(_ name: String, from address: String = "10.0.1.60", instance: String = "i-0miner", at second: Int,
                      type: String = "A", answers: [String] = []) -> String {
        let time = Timestamp(millisecondsSinceEpoch: Int64(t0 + second) * 1000).iso8601
        let list = answers.map { #"{"Rdata":"\#($0)","Type":"A","Class":"IN"}"# }.joined(separator: ",")
        return #"{"version":"1.100000","account_id":"123456789012","region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"\#(time)","query_name":"\#(name).","query_type":"\#(type)","query_class":"IN","rcode":"NOERROR","answers":[\#(list)],"srcaddr":"\#(address)","srcport":"5353","transport":"UDP","srcids":{"instance":"\#(instance)"}}"#
    }

    /// Every built-in detector of one account over the built-in lists only (no feed), reading the files in order.
    static func scan(_ files: [(name: String, lines: [String], header: String?)]) throws -> [Finding] {
        let intel = try ThreatIntelligence.load(threatLists: BuiltInLists.sources)
        let scan = LogScan(intel: intel, publicSuffixes: suffixes)
        for file in files {
            var bytes = Array(((file.header.map { [$0] } ?? []) + file.lines).joined(separator: "\n").utf8) + [0x0A]
            bytes.withUnsafeMutableBytes { _ = scan.read(bytes: UnsafeRawBufferPointer($0), path: file.name) }
        }
        return scan.findings
    }

    @Test func torBootstrapWithoutAFeedIsATorClient() throws {
        // Tor starting: the directory authorities on their ORPorts, then a guard (unknown without a feed) on 9001.
        let bootstrap = [
            Self.flow("10.0.1.60", "128.31.0.39", 41000, 9201, at: 0, instance: "i-0tor"),
            Self.flow("10.0.1.60", "204.13.164.118", 41001, 443, at: 1, instance: "i-0tor"),
            Self.flow("10.0.1.60", "171.25.193.9", 41002, 80, at: 2, instance: "i-0tor"),
            Self.flow("10.0.1.60", "198.51.100.200", 41003, 9001, packets: 900, bytes: 600_000, at: 30, instance: "i-0tor"),
        ]
        let findings = try Self.scan([("flows.log", bootstrap, Self.flowHeader)])
        // One finding per authority reached (findings aggregate per instance and remote host).
        #expect(findings.map(\.type) == Array(repeating: "UnauthorizedAccess:EC2/TorClient", count: 3))
        #expect(findings.allSatisfy { $0.resource.instanceDetails?.instanceId == "i-0tor" && $0.service?.resourceRole == "ACTOR" })
        // Ordinary HTTPS to other hosts is not Tor.
        let web = [Self.flow("10.0.1.60", "198.51.100.9", 41000, 443, at: 0, instance: "i-0web")]
        #expect(try Self.scan([("flows.log", web, Self.flowHeader)]).isEmpty)
    }

    @Test func poolNamesResolvedByTheInstanceListTheirAnswersForIt() throws {
        let dns = [
            Self.query("pool.supportxmr.com", at: 0, answers: ["203.0.113.33"]),
            Self.query("xmr-eu1.nanopool.org", at: 5, answers: ["198.51.100.44", "198.51.100.45"]),
        ]
        // Hours of stratum sessions to the answers on 3333 and 14444; another instance reaching the same address is not joined.
        var flows = (0..<12).flatMap { hour in
            [Self.flow("10.0.1.60", "203.0.113.33", 50000, 3333, at: hour * 1800 + 60),
             Self.flow("10.0.1.60", "198.51.100.45", 50001, 14444, at: hour * 1800 + 90)]
        }
        flows.append(Self.flow("10.0.1.77", "203.0.113.33", 50000, 443, at: 120, instance: "i-0other"))
        let findings = try Self.scan([("dns.log", dns, nil), ("flows.log", flows, Self.flowHeader)])
        let flowFindings = findings.filter { $0.type == "CryptoCurrency:EC2/BitcoinTool.B" }
        #expect(Set(flowFindings.map { $0.service?.action?.networkConnectionAction?.remoteIpDetails?.ipAddressV4 }) == ["203.0.113.33", "198.51.100.45"])
        #expect(flowFindings.allSatisfy { $0.resource.instanceDetails?.instanceId == "i-0miner" })
        #expect(flowFindings.contains { ($0.description ?? "").contains("pool.supportxmr.com") })
        #expect(findings.contains { $0.type == "CryptoCurrency:EC2/BitcoinTool.B!DNS" })
        // Without the instance's own lookups, the addresses are nobody's pool.
        #expect(try Self.scan([("flows.log", flows, Self.flowHeader)]).isEmpty)
    }

    @Test func hostileAnswersListNothing() throws {
        // A listed name whose logged answers are damaged, private, not addresses or not A records:
        // none of them becomes a listed address, and the log's other records still count.
        let time = Timestamp(millisecondsSinceEpoch: Int64(Self.t0) * 1000).iso8601
        func raw(_ answers: String) -> String {
            #"{"version":"1.100000","account_id":"123456789012","region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"\#(time)","query_name":"pool.supportxmr.com.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":\#(answers),"srcaddr":"10.0.1.60","srcport":"5353","transport":"UDP","srcids":{"instance":"i-0miner"}}"#
        }
        let dns = [raw(#""203.0.113.33""#), raw(#"[{"Rdata":"999.1.1.1","Type":"A"},{"Rdata":"10.0.0.9","Type":"A"}]"#),
                   raw(#"[{"Rdata":"203.0.113.33","Type":"CNAME"},{"Rdata":["203.0.113.33"],"Type":"A"},{"Type":"A"}]"#),
                   raw(#"[{"Rdata":"203.0.113.33","Type":"A""#)]
        let flows = [Self.flow("10.0.1.60", "203.0.113.33", 50000, 3333, at: 60), Self.flow("10.0.1.60", "10.0.0.9", 50001, 3333, at: 61)]
        let findings = try Self.scan([("dns.log", dns, nil), ("flows.log", flows, Self.flowHeader)])
        #expect(!findings.contains { $0.type == "CryptoCurrency:EC2/BitcoinTool.B" })
        #expect(findings.contains { $0.type == "CryptoCurrency:EC2/BitcoinTool.B!DNS" })
    }

    @Test func aResolverNewForTheInstanceIsUnusualAfterItsHistory() throws {
        let day = 86_400
        // Two weeks: a few daily lookups to 8.8.8.8 (the container runtime) and ordinary HTTPS.
        var history: [String] = []
        for d in 0..<14 {
            for i in 0..<3 { history.append(Self.flow("10.0.1.60", "8.8.8.8", 40000 + i, 53, packets: 2, bytes: 140, at: d * day + i * 3600, instance: "i-0app")) }
            history.append(Self.flow("10.0.1.60", "198.51.100.9", 41000, 443, at: d * day + 7200, instance: "i-0app"))
        }
        // Then ~200 queries to two other well-known public resolvers.
        let switched = (0..<200).map { i in
            Self.flow("10.0.1.60", i % 2 == 0 ? "1.1.1.1" : "9.9.9.9", 42000 + i, 53, packets: 2, bytes: 140, at: 14 * day + i * 5, instance: "i-0app")
        }
        let findings = try Self.scan([("flows.log", history + switched, Self.flowHeader)])
        #expect(findings.filter { $0.type == "DefenseEvasion:EC2/UnusualDNSResolver" }
            .compactMap { $0.service?.action?.networkConnectionAction?.remoteIpDetails?.ipAddressV4 }.sorted() == ["1.1.1.1", "9.9.9.9"])
        // The history alone, and the same switch by a new instance (no history to break), raise nothing.
        #expect(try Self.scan([("flows.log", history, Self.flowHeader)]).isEmpty)
        let fresh = switched.map { $0.replacingOccurrences(of: "i-0app", with: "i-0new").replacingOccurrences(of: "10.0.1.60", with: "10.0.1.61") }
        #expect(try Self.scan([("flows.log", fresh, Self.flowHeader)]).isEmpty)
        // A resolver nobody should use is unusual from the first day.
        let odd = (0..<5).map { Self.flow("10.0.1.62", "203.0.113.53", 43000 + $0, 53, packets: 2, bytes: 140, at: $0 * 10, instance: "i-0odd") }
        #expect(try Self.scan([("flows.log", odd, Self.flowHeader)]).map(\.type) == ["DefenseEvasion:EC2/UnusualDNSResolver"])
    }

    @Test func scannersOnWebPortsAreNotProbesOfUnprotectedPorts() throws {
        let intel = try ThreatIntelligence.load(threatLists: [ThreatListSource(name: "scanners", category: .malicious, format: .txt, text: "198.51.100.7\n198.51.100.8\n")])
        let lines = [(80, "198.51.100.7"), (443, "198.51.100.8"), (22, "198.51.100.7"), (9200, "198.51.100.8")].enumerated().map { i, probe in
            Self.flow(probe.1, "10.0.0.5", 50000 + i, probe.0, packets: 3, bytes: 180, at: i, egress: false, instance: "i-0web")
        }
        let findings = DetectionHarness.findings(text: Self.flowHeader + "\n" + lines.joined(separator: "\n") + "\n", detectors: [PortProbes(intel: intel)], path: "f.log")
        #expect(findings.map(\.type) == ["Recon:EC2/PortProbeUnprotectedPort", "Recon:EC2/PortProbeUnprotectedPort"])
        #expect(Set(findings.compactMap { $0.service?.action?.portProbeAction?.portProbeDetails?.first?.localPortDetails?.port }) == [22, 9200])
    }

    @Test func lookupsThatCarryAddressesOrDigestsAreNotExfiltration() {
        func exfiltration(_ names: [String], type: String = "A") -> Int {
            let lines = names.enumerated().map { Self.query($1, instance: "i-0mail", at: $0, type: type) }
            return DetectionHarness.findings(text: lines.joined(separator: "\n") + "\n", detectors: [DNSDataExfiltration(publicSuffixes: Self.suffixes)], path: "dns.log").count
        }
        // A mail server's blocklist lookups: reversed IPv4 and IPv6 addresses, plain and through a keyed mirror.
        let senders = (0..<200).map { "\($0 % 250).\($0 / 7).\(100 + $0 % 50).\(20 + $0 % 200)" }
        #expect(exfiltration(senders.map { "\($0).zen.spamhaus.org" }) == 0)
        #expect(exfiltration(senders.map { "\($0).k3x9q2m7w4t8z1v5b6n0p2r4ys.zen.dq.spamhaus.example.net" }) == 0)
        let v6 = (0..<100).map { i in (0..<32).map { j in String(format: "%x", (i * 7 + j * 3) % 16) }.joined(separator: ".") + ".dnsbl.example.org" }
        #expect(exfiltration(v6) == 0)
        // Malware-hash TXT lookups: one digest per file scanned.
        let digests = (0..<100).map { i in (0..<32).map { j in String(format: "%x", (i * 13 + j * 5 + j * j) % 16) }.joined() }
        #expect(exfiltration(digests.map { "\($0).malware.hash.cymru.com" }, type: "TXT") == 0)
        #expect(exfiltration(digests.map { "\($0).hashlookup.example.org" }, type: "TXT") == 0)
        // Long AWS names asked again and again: an EKS endpoint, a load balancer, a VPC endpoint.
        let aws = ["A95FBC180B680B58A6468EF929E3AB7A.gr7.us-west-2.eks.amazonaws.com",
                   "a1b2c3d4e5f60718293a4b5c6d7e8f90-1234567890.us-east-1.elb.amazonaws.com",
                   "vpce-0a1b2c3d4e5f67890-abcdefgh.s3.us-east-1.vpce.amazonaws.com"]
        #expect(exfiltration((0..<300).map { aws[$0 % 3] }) == 0)
        // The same long hex name under a domain someone else runs, asked again and again: one name, not a tunnel.
        #expect(exfiltration((0..<300).map { _ in "a1b2c3d4e5f60718293a4b5c6d7e8f90deadbeef.cdn.example.com" }) == 0)
        // A hex tunnel's names change with its data: still found.
        let tunnel = (0..<40).map { i in (0..<23).map { j in String(format: "%02x", (i * 31 + j * 17) % 256) }.joined() + ".t.evil-tunnel.example" }
        #expect(exfiltration(tunnel) == 1)
    }

    @Test func anETLInstancesNightlyCycleThenGigabytesToOneHost() throws {
        let hour = 3600, day = 86_400
        func etl(_ dst: String, bytes: Int, at second: Int) -> String {
            Self.flow("10.0.2.20", dst, 45000, 443, packets: max(1, bytes / 1400), bytes: bytes, at: second, instance: "i-0etl")
        }
        // Two weeks: the nightly ~40 MB to the partner around 02:00, and a little API traffic during the day.
        var weeks: [String] = []
        for d in 0..<14 {
            weeks.append(contentsOf: (0..<4).map { etl("203.0.113.10", bytes: 10_000_000, at: d * day + 2 * hour + $0 * 60) })
            weeks.append(contentsOf: stride(from: 8, to: 20, by: 1).map { etl("198.51.100.30", bytes: 200_000, at: d * day + $0 * hour) })
        }
        // Night 15: ~24 GB over TLS to one host between 02:00 and 04:00, then the day goes on.
        var night: [String] = []
        for minute in 0..<120 { night.append(etl("198.51.100.99", bytes: 200_000_000, at: 14 * day + 2 * hour + minute * 60)) }
        night.append(contentsOf: stride(from: 8, to: 12, by: 1).map { etl("198.51.100.30", bytes: 200_000, at: 14 * day + $0 * hour) })
        let findings = try Self.scan([("flows.log", weeks + night, Self.flowHeader)])
        let volume = findings.filter { $0.type == "Behavior:EC2/TrafficVolumeUnusual" }
        #expect(volume.count == 1)
        #expect(volume.first?.service?.action?.networkConnectionAction?.remoteIpDetails?.ipAddressV4 == "198.51.100.99")
        // The usual nights alone raise nothing.
        #expect(try Self.scan([("flows.log", weeks, Self.flowHeader)]).isEmpty)
    }
}
