import Foundation
import Testing
import VigilIntel
import VigilModel
import VigilTesting

@Suite struct ListFormatTests {
    static func fixture(_ name: String) -> String {
        SharedData.packageRoot.appendingPathComponent("Tests/VigilIntelTests/Fixtures/\(name)").path
    }

    static func load(_ name: String, format: ListFormat? = nil) throws -> (ParsedList, ListFormat) {
        let path = fixture(name)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let chosen = format ?? ListFormat.detect(path: path, head: String(text.prefix(4096)))
        return (ListReader.parse(text, format: chosen, path: path), chosen)
    }

    static func networks(_ list: ParsedList) -> [String] {
        list.indicators.compactMap { if case .network(let p) = $0.value { return p.description } else { return nil } }
    }

    static func domains(_ list: ParsedList) -> [String] {
        list.indicators.compactMap { if case .domain(let d) = $0.value { return d } else { return nil } }
    }

    @Test func txt() throws {
        let (list, format) = try Self.load("threats.txt")
        #expect(format == .txt)
        #expect(Self.networks(list) == ["198.51.100.7", "203.0.113.0/24", "2001:db8:bad::/48"])
        #expect(Self.domains(list) == ["evil.example"])
        #expect(list.issues.map(\.line) == [6, 7])
        #expect(list.issues.first?.description.hasSuffix("threats.txt:6: 'not-an-indicator!' is not an IP address, CIDR range or domain") == true)
    }

    /// Lines end at LF, CRLF or a lone CR; spaces, tabs and Unicode spaces around an entry and
    /// comments after it are dropped; issues name the line as an editor counts it.
    @Test func lineBreaksSpacesAndComments() {
        let text = "198.51.100.7\r\n\t203.0.113.9 # scanner\r\u{00A0}bad.example.com.\u{3000}\nfür.example\n// note\nhttp://evil.example.org/x\n\nnot an entry!\n"
        let list = ListReader.parse(text, format: .txt, path: "mixed.txt")
        #expect(Self.networks(list) == ["198.51.100.7", "203.0.113.9"])
        #expect(Self.domains(list) == ["bad.example.com", "für.example", "evil.example.org"])
        #expect(list.issues.map(\.line) == [8])
        #expect(list.issues.first?.description.hasPrefix("mixed.txt:8: 'not'") == true)
        // A combining mark after the spaces joins the last space: trimming stays on Character
        // boundaries (FuzzLists found this one).
        let joined = ListReader.parse("  \u{06DF}\n \u{0301}\u{0301} x.example.com \u{0301}\n", format: .txt, path: "joined.txt")
        #expect(Self.domains(joined) == ["x.example.com"], "\(joined.indicators) \(joined.issues)")
        #expect(joined.issues.isEmpty, "\(joined.issues)")  // a space with marks on it is still a space
    }

    @Test func stix2() throws {
        let (list, format) = try Self.load("threats.stix.json")
        #expect(format == .stix)
        #expect(Self.networks(list) == ["198.51.100.8", "198.51.100.9", "2001:db8:dead::1", "198.51.100.10"])
        #expect(Self.domains(list) == ["login-example.test"])
        #expect(list.indicators.first?.threatName == "Emotet C2")
        #expect(list.unsupported == 1)
        #expect(list.issues.map(\.line) == [6])
    }

    @Test func stix1() throws {
        let (list, format) = try Self.load("threats.stix1.xml")
        #expect(format == .stix)
        #expect(Self.networks(list) == ["198.51.100.18"])
        #expect(Self.domains(list) == ["stix1-example.test"])
    }

    @Test func otxCSV() throws {
        let (list, format) = try Self.load("threats.otx.csv")
        #expect(format == .otxCSV)
        #expect(Self.networks(list) == ["198.51.100.11", "203.0.114.0/25"])
        #expect(Self.domains(list) == ["bad-otx.example", "cdn.bad-otx2.example"])
        #expect(list.indicators.first?.threatName == "Scanner")
        #expect(list.unsupported == 2)
        #expect(list.issues.map(\.line) == [8])
    }

    @Test func alienVault() throws {
        let (list, format) = try Self.load("threats.alienvault")
        #expect(format == .alienVault)
        #expect(Self.networks(list) == ["198.51.100.12", "198.51.100.13"])
        #expect(list.indicators.map(\.threatName) == ["Malicious Host", "Scanning Host"])
        #expect(list.issues.map(\.line) == [3])
    }

    @Test func proofPoint() throws {
        let (list, format) = try Self.load("threats.proofpoint.csv")
        #expect(format == .proofPoint)
        #expect(Self.networks(list) == ["198.51.100.14", "198.51.100.15"])
        #expect(list.indicators.first?.threatName == "ET category 1")
        #expect(list.issues.map(\.line) == [4])
    }

    @Test func fireEye() throws {
        let (list, format) = try Self.load("threats.fireeye.csv")
        #expect(format == .fireEye)
        #expect(Set(Self.networks(list)) == ["198.51.100.16", "203.0.115.0/24"])
        #expect(Self.domains(list) == ["bad-fireeye.example"])
        #expect(list.indicators.first { $0.value == .network(IPPrefix("198.51.100.16")!) }?.threatName == "TRICKBOT")
        #expect(list.unsupported == 1)
    }

    @Test func zeekIntel() throws {
        let (list, format) = try Self.load("threats.intel")
        #expect(format == .zeek)
        #expect(Self.networks(list) == ["198.51.100.17", "203.0.116.0/24"])
        #expect(Self.domains(list) == ["c2.zeek-example.test"])
        #expect(list.indicators.first?.threatName == "Cobalt Strike")
        #expect(list.indicators[1].threatName == "EXAMPLE-FEED")
        #expect(list.unsupported == 1)
        #expect(list.issues.map(\.line) == [6])
    }

    @Test func hostsFile() throws {
        let (list, format) = try Self.load("hosts")
        #expect(format == .hosts)
        #expect(Self.domains(list) == ["ads.hosts-example.test", "tracker.hosts-example.test", "miner.hosts-example.test"])
        #expect(list.issues.map(\.line) == [5])
    }

    @Test func sharedFeedsLoad() throws {
        let sources = [
            ThreatListSource(category: .torExit, path: SharedData.path("intel/zeek-intel-feeds/tor-exit.intel")),
            ThreatListSource(category: .doh, path: SharedData.path("intel/zeek-intel-feeds/doh-domains.intel")),
            ThreatListSource(category: .malicious, path: SharedData.path("intel/ipsum/level3.txt")),
            ThreatListSource(category: .mining, path: SharedData.path("intel/coinblocker_2018/list.txt")),
            ThreatListSource(category: .mining, path: SharedData.path("intel/coinblocker_2018/MiningServerIPList.txt")),
            ThreatListSource(category: .commandAndControl, path: SharedData.path("intel/zeek-intel-feeds/cobaltstrike_ips.intel")),
        ]
        let intel = try ThreatIntelligence.load(threatLists: sources)
        #expect(intel.issues.isEmpty, "\(intel.issues.prefix(3))")
        #expect(intel.lists[0].indicatorCount == 3251)
        #expect(intel.lists[2].indicatorCount == 14217)
        #expect(intel.lists.allSatisfy { $0.sha256.count == 64 })
        let tor = try #require(IPAddress("171.25.193.25"))
        #expect(intel.match(tor).map(\.list.category).contains(.torExit))
        #expect(intel.match(domain: "0ms.dev.").map(\.list.category) == [.doh])
        #expect(intel.match(domain: "api.0MS.dev").map(\.matchedDomain) == ["0ms.dev"])
        #expect(intel.match(domain: "not0ms.dev").isEmpty)
    }

    @Test func argumentForms() throws {
        let plain = try #require(ThreatListSource(argument: "lists/bad.txt"))
        #expect(plain.category == .custom && plain.format == nil && plain.name == "bad.txt")
        let full = try #require(ThreatListSource(argument: "tor-exit=ZEEK:feeds/tor.intel"))
        #expect(full.category == .torExit && full.format == .zeek && full.path == "feeds/tor.intel")
        let otx = try #require(ThreatListSource(argument: "OTX_CSV:/abs/x.csv"))
        #expect(otx.format == .otxCSV && otx.path == "/abs/x.csv")
        #expect(ThreatListSource(argument: "c2=") == nil)
    }

    @Test func unreadableFileIsAnError() {
        #expect(throws: ThreatIntelligence.LoadError.self) {
            try ThreatIntelligence.load(threatLists: [ThreatListSource(category: .custom, path: "/no/such/list.txt")])
        }
    }
}
