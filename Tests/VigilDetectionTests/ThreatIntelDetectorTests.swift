import Foundation
import Testing
import VigilDetection
import VigilIntel
import VigilLogs
import VigilModel
import VigilTesting

/// Threat-intelligence findings from CloudTrail, flow logs and DNS, on the shared feeds and
/// Vigil's own example lists.
@Suite struct ThreatIntelDetectorTests {
    static func fixture(_ name: String) -> String {
        SharedData.packageRoot.appendingPathComponent("Tests/VigilIntelTests/Fixtures/\(name)").path
    }

    static func intel(trusted: Bool = false) throws -> ThreatIntelligence {
        try ThreatIntelligence.load(threatLists: [
            ThreatListSource(name: "Tor exits", category: .torExit, path: SharedData.path("intel/zeek-intel-feeds/tor-exit.intel")),
            ThreatListSource(name: "Tor relays", category: .torRelay, path: SharedData.path("intel/zeek-intel-feeds/tor-exit.intel")),
            ThreatListSource(name: "Cobalt Strike", category: .commandAndControl, path: SharedData.path("intel/zeek-intel-feeds/cobaltstrike_ips.intel")),
            ThreatListSource(name: "Mining IPs", category: .mining, path: SharedData.path("intel/coinblocker_2018/MiningServerIPList.txt")),
            ThreatListSource(name: "Mining domains", category: .mining, path: SharedData.path("intel/coinblocker_2018/list.txt")),
            ThreatListSource(name: "ipsum", category: .malicious, path: SharedData.path("intel/ipsum/level8.txt")),
            ThreatListSource(name: "My list", category: .custom, path: fixture("threats.txt")),
            ThreatListSource(name: "Sinkholes", category: .blackhole, path: fixture("threats.alienvault")),
            ThreatListSource(name: "Drops", category: .dropPoint, path: fixture("threats.proofpoint.csv")),
            ThreatListSource(name: "Phish", category: .phishing, path: fixture("threats.stix.json")),
        ], trustedLists: trusted ? [ThreatListSource(category: .custom, path: fixture("trusted.txt"))] : [])
    }

    static func scan(_ text: String, path: String, intel: ThreatIntelligence) -> [Finding] {
        let psl = try? PublicSuffixList(contentsOf: SharedData.path("psl/public_suffix_list_2026-10-22.dat"))
        let scan = LogScan(intel: intel, publicSuffixes: psl)
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { _ = scan.read(bytes: UnsafeRawBufferPointer($0), path: path) }
        return scan.findings
    }

    // MARK: CloudTrail

    @Test func torCallersOnTheSampleTrail() throws {
        let scan = LogScan(intel: try Self.intel())
        for file in try LogFileFinder.files(under: [SharedData.path("samples/cloudtrail")]) { scan.read(path: file) }
        let types = Set(scan.findings.map(\.type))
        #expect(types.contains("Recon:IAMUser/TorIPCaller"))  // ListBuckets from 185.220.101.1
        #expect(types.contains("UnauthorizedAccess:IAMUser/TorIPCaller"))  // StopLogging from the same exit
        let tor = try #require(scan.findings.first { $0.type == "Recon:IAMUser/TorIPCaller" })
        #expect(tor.service?.action?.awsApiCallAction?.remoteIpDetails?.ipAddressV4 == "185.220.101.1")
        #expect(tor.service?.evidence?.threatIntelligenceDetails?.first?.threatListName == "Tor exits")
        #expect(tor.service?.evidence?.threatIntelligenceDetails?.first?.threatFileSha256?.count == 64)
        // The DescribeInstances call from an AWS address raises nothing intel-related.
        #expect(!scan.findings.contains { $0.service?.action?.awsApiCallAction?.api == "DescribeInstances" })
    }

    static func event(_ name: String, ip: String, readOnly: Bool, id: String, identity: String = "IAMUser") -> String {
        #"{"eventVersion":"1.08","eventTime":"2023-11-14T22:15:00Z","eventSource":"iam.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"\#(ip)","userAgent":"aws-cli/2","eventID":"\#(id)","readOnly":\#(readOnly),"recipientAccountId":"123456789012","userIdentity":{"type":"\#(identity)","principalId":"AIDA1","arn":"arn:aws:iam::123456789012:user/bob","accountId":"123456789012","accessKeyId":"AKIA1","userName":"bob"}}"#
    }

    @Test func customAndReputationCallers() throws {
        let ipsumAddress = try String(contentsOfFile: SharedData.path("intel/ipsum/level8.txt"), encoding: .utf8).split(separator: "\n").first!
        let text = [
            Self.event("ListUsers", ip: "198.51.100.7", readOnly: true, id: "1"),
            Self.event("CreateUser", ip: "203.0.113.99", readOnly: false, id: "2"),
            Self.event("GetUser", ip: String(ipsumAddress), readOnly: true, id: "3"),
            Self.event("CreateUser", ip: "198.51.101.1", readOnly: false, id: "4"),
        ].joined(separator: "\n")
        let findings = Self.scan(text, path: "ct.jsonl", intel: try Self.intel())
        #expect(Set(findings.map(\.type)) == ["Recon:IAMUser/MaliciousIPCaller.Custom", "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom",
                                               "Recon:IAMUser/MaliciousIPCaller",
                                               // bob's three calls from listed addresses, two tactics: a sequence.
                                               "AttackSequence:IAM/CompromisedCredentials"])
        let custom = try #require(findings.first { $0.type == "Recon:IAMUser/MaliciousIPCaller.Custom" })
        #expect(custom.service?.evidence?.threatIntelligenceDetails?.first?.threatListName == "My list")
        #expect(custom.resource.accessKeyDetails?.userName == "bob")
    }

    @Test func trustedAddressesRaiseNothingAtAll() throws {
        let text = [
            Self.event("ListUsers", ip: "198.51.100.7", readOnly: true, id: "1", identity: "Root"),
            Self.event("CreateUser", ip: "203.0.113.99", readOnly: false, id: "2"),
        ].joined(separator: "\n")
        let findings = Self.scan(text, path: "ct.jsonl", intel: try Self.intel(trusted: true))
        // 198.51.100.7 is on both the custom list and the trusted list: neither the intel finding nor
        // the root-usage finding is raised; the other address still is.
        #expect(findings.map(\.type) == ["UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"])
    }

    // MARK: Flow logs

    static let flowHeader = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path"

    static func flow(_ src: String, _ dst: String, _ sport: Int, _ dport: Int, _ direction: String, instance: String = "i-0abc", action: String = "ACCEPT") -> String {
        "5 123456789012 eni-0abc \(src) \(dst) \(sport) \(dport) 6 10 800 1700000000 1700000060 \(action) OK vpc-1 subnet-1 \(instance) 2 IPv4 \(src) \(dst) us-east-1 use1-az1 - - - - \(direction) -"
    }

    @Test func flowFindingsByCategory() throws {
        let lines = [
            Self.flow("10.0.1.50", "106.12.219.245", 40000, 443, "egress"),          // Cobalt Strike → C&C
            Self.flow("10.0.1.50", "1.31.173.33", 40001, 3333, "egress", instance: "i-0miner"),   // mining pool
            Self.flow("10.0.1.50", "171.25.193.25", 40002, 443, "egress", instance: "i-0tor"),     // Tor client
            Self.flow("171.25.193.25", "10.0.1.51", 40003, 9001, "ingress", instance: "i-0relay"), // Tor relay
            Self.flow("10.0.1.52", "198.51.100.12", 40004, 80, "egress", instance: "i-0sink"),     // black hole
            Self.flow("10.0.1.53", "198.51.100.14", 40005, 443, "egress", instance: "i-0drop"),    // drop point
            Self.flow("203.0.113.77", "10.0.1.54", 51515, 22, "ingress", instance: "i-0target", action: "REJECT"), // custom, inbound
            Self.flow("10.0.1.55", "8.8.4.4", 40006, 443, "egress", instance: "i-0clean"),         // unlisted
            Self.flow("10.0.1.56", "10.0.1.57", 40007, 443, "egress", instance: "i-0east"),        // private both ends
        ]
        let findings = Self.scan(Self.flowHeader + "\n" + lines.joined(separator: "\n") + "\n", path: "flows.log", intel: try Self.intel())
        func only(_ instance: String) -> [String] {
            findings.filter { $0.resource.instanceDetails?.instanceId == instance }.map(\.type).sorted()
        }
        #expect(only("i-0abc") == ["Backdoor:EC2/C&CActivity.B"])
        #expect(only("i-0miner") == ["CryptoCurrency:EC2/BitcoinTool.B"])
        #expect(only("i-0tor") == ["UnauthorizedAccess:EC2/TorClient"])
        #expect(only("i-0relay") == ["UnauthorizedAccess:EC2/TorRelay"])
        #expect(only("i-0sink") == ["Trojan:EC2/BlackholeTraffic"])
        #expect(only("i-0drop") == ["Trojan:EC2/DropPoint"])
        #expect(only("i-0target") == ["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"])
        #expect(only("i-0clean").isEmpty)
        #expect(only("i-0east").isEmpty)
        let inbound = try #require(findings.first { $0.resource.instanceDetails?.instanceId == "i-0target" })
        #expect(inbound.service?.resourceRole == "TARGET")
        let connection = try #require(inbound.service?.action?.networkConnectionAction)
        #expect(connection.connectionDirection == "INBOUND")
        #expect(connection.blocked == true)
        #expect(connection.localPortDetails?.port == 22)
        #expect(connection.localPortDetails?.portName == "SSH")
        #expect(connection.remoteIpDetails?.ipAddressV4 == "203.0.113.77")
        let c2 = try #require(findings.first { $0.type == "Backdoor:EC2/C&CActivity.B" })
        #expect(c2.service?.resourceRole == "ACTOR")
        #expect(c2.resource.instanceDetails?.networkInterfaces?.first?.networkInterfaceId == "eni-0abc")
        #expect(c2.service?.evidence?.threatIntelligenceDetails?.first?.threatNames == ["CobaltStrike"])
    }

    @Test func trustedRemoteAddressesSilenceFlows() throws {
        let text = Self.flowHeader + "\n" + Self.flow("203.0.113.9", "10.20.1.1", 5000, 22, "ingress") + "\n"
            + Self.flow("10.0.1.50", "198.51.100.7", 5000, 443, "egress") + "\n"
        #expect(!Self.scan(text, path: "f.log", intel: try Self.intel()).isEmpty)
        #expect(Self.scan(text, path: "f.log", intel: try Self.intel(trusted: true)).isEmpty)
    }

    // MARK: DNS

    static func query(_ name: String, instance: String = "i-0dns", type: String = "A") -> String {
        #"{"version":"1.100000","account_id":"123456789012","region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"2023-11-14T22:15:00Z","query_name":"\#(name)","query_type":"\#(type)","query_class":"IN","rcode":"NOERROR","answers":[],"srcaddr":"10.0.1.60","srcport":"5353","transport":"UDP","srcids":{"instance":"\#(instance)"}}"#
    }

    @Test func dnsFindingsByCategory() throws {
        let text = [
            Self.query("000.0x1f4b0.com.", instance: "i-0mine"),
            Self.query("WWW.Evil.Example.", instance: "i-0custom"),
            Self.query("login-example.test.", instance: "i-0phish"),
            Self.query("notevil.example.", instance: "i-0clean"),
            Self.query("example.com.", instance: "i-0clean"),
        ].joined(separator: "\n")
        let findings = Self.scan(text, path: "dns.log", intel: try Self.intel())
        func only(_ instance: String) -> [String] {
            findings.filter { $0.resource.instanceDetails?.instanceId == instance }.map(\.type).sorted()
        }
        #expect(only("i-0mine") == ["CryptoCurrency:EC2/BitcoinTool.B!DNS"])
        #expect(only("i-0custom") == ["Impact:EC2/MaliciousDomainRequest.Custom"])
        #expect(only("i-0phish") == ["Trojan:EC2/PhishingDomainRequest!DNS"])
        #expect(only("i-0clean").isEmpty)
        let custom = try #require(findings.first { $0.type == "Impact:EC2/MaliciousDomainRequest.Custom" })
        let request = try #require(custom.service?.action?.dnsRequestAction)
        #expect(request.domain == "www.evil.example")
        #expect(request.domainWithSuffix == "evil.example")
        #expect(request.protocol == "UDP")
        #expect(request.vpcOwnerAccountId == "123456789012")
    }

    @Test func everyCategoryMapsToACatalogueType() throws {
        for detector in LogScan.builtInDetectors(intel: try Self.intel()) {
            for type in detector.findingTypes { #expect(FindingCatalogue.info(type) != nil, "\(type)") }
        }
    }
}

/// The remaining shared feeds: abuse.ch's IP block list and ET's compromised hosts, as reputation
/// lists, and the abuse.ch ThreatFox C2 addresses.
@Suite struct SharedFeedTests {
    static func firstAddress(_ relative: String) throws -> String {
        let text = String(decoding: FileManager.default.contents(atPath: SharedData.path(relative)) ?? Data(), as: UTF8.self)
        let line = try #require(text.split(separator: "\n").first { !$0.hasPrefix("#") })
        return String(line.split(separator: "\t").first!)
    }

    @Test func abuseChAndETCompromisedRaiseMaliciousIPCaller() throws {
        let intel = try ThreatIntelligence.load(threatLists: [
            ThreatListSource(name: "abuse.ch", category: .malicious, path: SharedData.path("intel/zeek-intel-feeds/abuse-ch-ipblocklist.intel")),
            ThreatListSource(name: "ET compromised", category: .malicious, path: SharedData.path("intel/zeek-intel-feeds/compromised-ips.intel")),
            ThreatListSource(name: "ThreatFox", category: .commandAndControl, path: SharedData.path("intel/zeek-intel-feeds/abuse-ch-threatfox-ip.intel")),
        ])
        #expect(intel.issues.isEmpty, "\(intel.issues.prefix(3))")
        let abuse = try Self.firstAddress("intel/zeek-intel-feeds/abuse-ch-ipblocklist.intel")
        let et = try Self.firstAddress("intel/zeek-intel-feeds/compromised-ips.intel")
        let threatFox = try Self.firstAddress("intel/zeek-intel-feeds/abuse-ch-threatfox-ip.intel")
        let text = [
            ThreatIntelDetectorTests.event("DescribeInstances", ip: abuse, readOnly: true, id: "1"),
            ThreatIntelDetectorTests.event("RunInstances", ip: et, readOnly: false, id: "2"),
            ThreatIntelDetectorTests.event("RunInstances", ip: "192.0.2.44", readOnly: false, id: "3"),
        ].joined(separator: "\n")
        let findings = ThreatIntelDetectorTests.scan(text, path: "ct.jsonl", intel: intel)
        #expect(findings.map(\.type).sorted() == ["Recon:IAMUser/MaliciousIPCaller", "UnauthorizedAccess:IAMUser/MaliciousIPCaller"])
        let flows = ThreatIntelDetectorTests.flowHeader + "\n" + ThreatIntelDetectorTests.flow("10.0.3.3", threatFox, 41000, 443, "egress", instance: "i-0fox") + "\n"
        #expect(ThreatIntelDetectorTests.scan(flows, path: "f.log", intel: intel).map(\.type) == ["Backdoor:EC2/C&CActivity.B"])
    }
}

/// Every DNS category raises its own finding type, for a listed domain and its subdomains only.
@Suite struct DNSCategoryTests {
    static let expectations: [(ThreatCategory, String?)] = [
        (.commandAndControl, "Backdoor:EC2/C&CActivity.B!DNS"),
        (.mining, "CryptoCurrency:EC2/BitcoinTool.B!DNS"),
        (.miningReputation, "Impact:EC2/BitcoinDomainRequest.Reputation"),
        (.blackhole, "Trojan:EC2/BlackholeTraffic!DNS"),
        (.driveBy, "Trojan:EC2/DriveBySourceTraffic!DNS"),
        (.dropPoint, "Trojan:EC2/DropPoint!DNS"),
        (.phishing, "Trojan:EC2/PhishingDomainRequest!DNS"),
        (.custom, "Impact:EC2/MaliciousDomainRequest.Custom"),
        (.malicious, "Impact:EC2/MaliciousDomainRequest.Reputation"),
        (.abused, "Impact:EC2/AbusedDomainRequest.Reputation"),
        (.suspicious, "Impact:EC2/SuspiciousDomainRequest.Reputation"),
        (.doh, nil), (.publicResolver, nil), (.torExit, nil),
    ]

    @Test(arguments: expectations)
    func categoryRaisesItsType(category: ThreatCategory, type: String?) throws {
        let intel = try ThreatIntelligence.load(threatLists: [
            ThreatListSource(name: "list", category: category, path: ThreatIntelDetectorTests.fixture("threats.txt")),
        ])
        let text = [
            ThreatIntelDetectorTests.query("a.b.evil.example.", instance: "i-0hit"),
            ThreatIntelDetectorTests.query("evil.example.com.", instance: "i-0miss"),
            ThreatIntelDetectorTests.query("not-evil.example.", instance: "i-0miss"),
        ].joined(separator: "\n")
        let findings = ThreatIntelDetectorTests.scan(text, path: "dns.log", intel: intel)
        #expect(findings.map(\.type) == (type.map { [$0] } ?? []))
        #expect(findings.allSatisfy { $0.resource.instanceDetails?.instanceId == "i-0hit" })
        if let finding = findings.first {
            #expect(finding.service?.action?.dnsRequestAction?.domainWithSuffix == "evil.example")
            #expect(finding.service?.evidence?.threatIntelligenceDetails?.first?.threatListName == "list")
        }
    }
}
