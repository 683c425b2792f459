import Foundation
import Testing
@testable import VigilDetection
import VigilIntel
import VigilLogs
import VigilModel
import VigilSimulation
import VigilTesting

/// Domain-generation and DNS-tunnel findings from Resolver query logs.
@Suite struct DNSBehaviourTests {
    static let suffixes = PublicSuffixList.load(path: SharedData.path("psl/public_suffix_list_2026-10-22.dat"))!

    static func query(_ name: String, instance: String, second: Int, rcode: String = "NOERROR", type: String = "A") -> String {
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let time = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + Int64(second) * 1000).iso8601
        return #"{"version":"1.100000","account_id":"123456789012","region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"\#(time)","query_name":"\#(escaped)","query_type":"\#(type)","query_class":"IN","rcode":"\#(rcode)","answers":[],"srcaddr":"10.0.1.60","srcport":"5353","transport":"UDP","srcids":{"instance":"\#(instance)"}}"#
    }

    static func findings(_ lines: [String], detectors: [any Detector]? = nil) -> [Finding] {
        DetectionHarness.findings(text: lines.joined(separator: "\n") + "\n",
                                  detectors: detectors ?? [DomainGenerationRequests(publicSuffixes: suffixes), DNSDataExfiltration(publicSuffixes: suffixes)],
                                  path: "dns.log")
    }

    @Test func sampleResolverLogRaisesDGAAndTunnelFindings() throws {
        let scan = LogScan(detectors: [DomainGenerationRequests(publicSuffixes: Self.suffixes), DNSDataExfiltration(publicSuffixes: Self.suffixes)])
        for file in try LogFileFinder.files(under: [SharedData.path("samples/r53")]) { scan.read(path: file) }
        let types = Set(scan.findings.map(\.type))
        #expect(types == ["Trojan:EC2/DGADomainRequest.C!DNS", "Trojan:EC2/DGADomainRequest.B", "Trojan:EC2/DNSDataExfiltration"])
        #expect(scan.findings.allSatisfy { $0.resource.instanceDetails?.instanceId == "i-0a1b2c3d4e5f60718" && $0.service?.resourceRole == "ACTOR" })
        let tunnel = try #require(scan.findings.first { $0.type == "Trojan:EC2/DNSDataExfiltration" })
        #expect(tunnel.service?.action?.dnsRequestAction?.domainWithSuffix == "hidemyself.org")
    }

    @Test func benignRecordsOfTheSampleRaiseNothing() throws {
        // The sample's own ground truth: keep only the lines labelled benign.
        let files = try LogFileFinder.files(under: [SharedData.path("samples/r53")]).filter { $0.hasSuffix(".log.gz") }
        var benign: [String] = []
        for file in files {
            let relative = String(file.dropFirst(SharedData.root.path.count + 1))
            let lines = try SharedData.text(relative).split(separator: "\n").map(String.init)
            let labels = try SharedData.text(relative.replacingOccurrences(of: ".log.gz", with: ".labels.tsv")).split(separator: "\n").dropFirst()
            for label in labels {
                let columns = label.split(separator: "\t")
                if columns.count == 2, columns[1].hasPrefix("benign"), let line = Int(columns[0]) { benign.append(lines[line - 1]) }
            }
        }
        #expect(benign.count >= 300)
        #expect(Self.findings(benign).isEmpty)
    }

    @Test func generatedNamesFromOneInstanceAddUp() throws {
        let names = try SharedData.nameRows("dns/dga_domains.csv.gz").filter { $0.0 == "tufik" }.map(\.1).prefix(5)
        // Five generated names among ordinary ones: the classified rule fires.
        let ordinary = ["www.google.com", "s3.amazonaws.com", "github.com", "pypi.org", "files.pythonhosted.org", "api.stripe.com"]
        let lines = (ordinary + names).enumerated().map { Self.query($1 + ".", instance: "i-0infected", second: $0) }
        let findings = Self.findings(lines)
        #expect(findings.map(\.type) == ["Trojan:EC2/DGADomainRequest.C!DNS"])
        #expect(findings.first?.severity == 8.0)
        // Two are not enough.
        #expect(Self.findings(Array(lines.prefix(ordinary.count + 2))).isEmpty)
        // Spread over more than the window (an hour) they do not add up either.
        let slow = names.enumerated().map { Self.query($1 + ".", instance: "i-0slow", second: $0 * 4000) }
        #expect(Self.findings(slow).isEmpty)
    }

    @Test func nxdomainPatternCatchesShortGeneratedNames() throws {
        // qsnatch's names are too short to judge one by one; their NXDOMAIN answers give them away.
        let names = try SharedData.nameRows("dns/dga_domains.csv.gz").filter { $0.0 == "qsnatch" }.map(\.1).prefix(12)
        let nx = names.enumerated().map { Self.query($1 + ".", instance: "i-0qsnatch", second: $0, rcode: "NXDOMAIN") }
        #expect(Self.findings(nx).map(\.type) == ["Trojan:EC2/DGADomainRequest.B"])
        let resolved = names.enumerated().map { Self.query($1 + ".", instance: "i-0qsnatch", second: $0) }
        #expect(Self.findings(resolved).isEmpty)
        // Typos and stale names of ordinary services are NXDOMAIN too, but look chosen, and people make them minutes apart.
        let typos = ["gooogle.com", "facebok.com", "amazom.com", "wikipeda.org", "githib.com", "stackoverflw.com",
                     "yotube.com", "linkedn.com", "twiter.com", "micosoft.com", "netfilx.com", "reddti.com"]
        #expect(Self.findings(typos.enumerated().map { Self.query($1 + ".", instance: "i-0typo", second: $0 * 240, rcode: "NXDOMAIN") }).isEmpty)
        // A mail server checking senders in a burst: a dozen fail among the many that exist — a small share, not a loop of failures.
        let top = try SharedData.nameRows("dns/opendns-top-domains.txt").map(\.1).prefix(40)
        var checks: [String] = []
        for (i, name) in top.enumerated() {
            checks.append(Self.query(name + ".", instance: "i-0mail", second: i * 2))
            if i % 3 == 0 { checks.append(Self.query(typos[(i / 3) % typos.count] + ".", instance: "i-0mail", second: i * 2 + 1, rcode: "NXDOMAIN")) }
        }
        #expect(Self.findings(checks).isEmpty)
        // The same failures in a tight loop with nothing that exists between them: that is a failing loop, whatever the names look like.
        #expect(Self.findings(typos.enumerated().map { Self.query($1 + ".", instance: "i-0loop", second: $0, rcode: "NXDOMAIN") }).map(\.type) == ["Trojan:EC2/DGADomainRequest.B"])
    }

    @Test func generatorsOfEveryStyleAreFoundByTheirLoopOfFailures() throws {
        // Families no classifier was fitted to: dictionary words, short names, hex and base32, with varied suffixes.
        var random = SplitMix64(state: 17)
        let words = ["river", "stone", "market", "silver", "garden", "yellow", "orange", "window", "doctor", "camera", "planet", "forest"]
        func pick(_ alphabet: String, _ count: Int) -> String {
            let letters = Array(alphabet)
            return String((0..<count).map { _ in letters[random.below(letters.count)] })
        }
        func make(_ style: Int) -> String {
            switch style {
            case 0: return words[random.below(words.count)] + words[random.below(words.count)] + [".net", ".com", ".org"][random.below(3)]
            case 1: return pick("abcdefghijklmnopqrstuvwxyz", 5) + ".info"
            case 2: return pick("0123456789abcdef", 12) + ".xyz"
            default: return pick("abcdefghijklmnopqrstuvwxyz234567", 16) + ".top"
            }
        }
        for style in 0..<4 {
            var lines: [String] = []
            for instance in 0..<20 {
                lines += (0..<10).map { Self.query(make(style) + ".", instance: "i-0dga\(style)-\(instance)", second: $0 * 5, rcode: "NXDOMAIN") }
            }
            let found = Set(Self.findings(lines).filter { $0.type == "Trojan:EC2/DGADomainRequest.B" }.compactMap { $0.resource.instanceDetails?.instanceId })
            #expect(found.count == 20, "style \(style)")
        }
        // 500 benign instances, ten resolving names each: none.
        let benign = try SharedData.nameRows("dns/opendns-top-domains.txt").map(\.1)
        let lines = (0..<500).flatMap { i in (0..<10).map { Self.query(benign[(i * 10 + $0) % benign.count] + ".", instance: "i-0ok\(i)", second: $0 * 5) } }
        #expect(Self.findings(lines).isEmpty)
    }

    @Test func benignListsFromOneBusyInstanceRaiseNothing() throws {
        // A thousand popular domains from one instance within the hour.
        let names = try SharedData.nameRows("dns/opendns-top-domains.txt").map(\.1).filter { DGATrainer.fold($0, folds: 3) == 2 }.prefix(1000)
        let lines = names.enumerated().map { Self.query($1 + ".", instance: "i-0busy", second: $0 * 3) }
        #expect(Self.findings(lines).isEmpty)
    }

    @Test func tunnelsAreCaughtAndPlainNamesAreNot() throws {
        for tool in ["dns/iodine_names.csv.gz", "dns/dns2tcp_names.csv.gz"] {
            let names = try SharedData.nameRows(tool).map(\.1)
            var encoded = 0
            for name in names {
                var bytes = Array(name.utf8)
                let registrable = "hidemyself.org".utf8.count + 2
                if bytes.count > registrable {
                    encoded += bytes.withUnsafeMutableBytes {
                        DNSDataExfiltration.isEncoded(UnsafeRawBufferPointer($0), subdomainLength: $0.count - registrable, dataType: false) ? 1 : 0
                    }
                }
            }
            #expect(Double(encoded) / Double(names.count) >= 0.95, "\(tool): \(encoded) of \(names.count)")
            let session = names.prefix(200).enumerated().map { Self.query($1, instance: "i-0tunnel", second: $0) }
            let findings = Self.findings(session)
            #expect(findings.map(\.type) == ["Trojan:EC2/DNSDataExfiltration"], "\(tool)")
        }
        let plain = try SharedData.nameRows("dns/plain_names.csv.gz").map(\.1)
        #expect(Self.findings(plain.prefix(3000).enumerated().map { Self.query($1, instance: "i-0plain", second: $0) }).isEmpty)
        // Long, structured names of ordinary services are not data.
        let services = (0..<40).flatMap { i in [
            "r\(i % 8)---sn-ab5l6nz\(i % 10)e.googlevideo.com.", "e\(1234 + i).dscb.akamaiedge.net.",
            "ip-10-0-\(i)-17.ec2.internal.", "mybucket-\(i).s3.us-east-1.amazonaws.com.",
            "_dmarc.mail\(i).example.com.", "selector1._domainkey.corp\(i).example.com.",
            "wpad.eu-west-1.compute.internal.", "cdn-\(i).static-assets.example-shop.co.uk.",
        ] }
        #expect(Self.findings(services.enumerated().map { Self.query($1, instance: "i-0services", second: $0) }).isEmpty)
    }

    @Test func hexAndTXTTunnelsAndCaseRandomisation() {
        // dnscat2-style hex labels, TXT queries.
        let hex = (0..<12).map { i in Self.query("\(String(repeating: "0123456789abcdef", count: 2))\(i).c2.example.net.", instance: "i-0cat", second: i, type: "TXT") }
        #expect(Self.findings(hex).map(\.type) == ["Trojan:EC2/DNSDataExfiltration"])
        // DNS 0x20: the whole name's case is randomised, the domain's too — not data.
        let caps = (0..<20).map { i in Self.query("wWw\(i).ExAmPlE.cOm.", instance: "i-0caps", second: i) }
        #expect(Self.findings(caps).isEmpty)
        // Security services that look up hashes in DNS are exempt.
        let av = (0..<20).map { i in Self.query("\(i)a1b2c3d4e5f60718293a4b5c6d7e8f9.gti.mcafee.com.", instance: "i-0av", second: i) }
        #expect(Self.findings(av).isEmpty)
    }

    @Test func perInstanceStateIsBounded() {
        var thresholds = DomainGenerationRequests.Thresholds()
        thresholds.instanceCapacity = 1000
        let detector = DomainGenerationRequests(publicSuffixes: Self.suffixes, thresholds: thresholds)
        var windows = KeyedWindows<Int>(window: 60, capacity: 1000, fresh: { 0 })
        for i in 0..<300_000 { windows.update(UInt64(i) &* 0x9E37_79B9_7F4A_7C15, at: Int64(i / 1000)) { $0 += 1 } }
        #expect(windows.count <= windows.capacity && windows.capacity == 1024)
        #expect(windows.evictions >= 290_000)
        let lines = (0..<5000).map { Self.query("host\($0).example.com.", instance: "i-\($0)", second: $0 / 100) }
        _ = Self.findings(lines, detectors: [detector])
    }
}
