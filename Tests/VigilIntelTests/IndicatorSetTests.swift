import Foundation
import Testing
@testable import VigilIntel
import VigilModel
import VigilSimulation
import VigilTesting

@Suite struct IndicatorSetTests {
    @Test func longestPrefixWins() throws {
        let set = IPRangeSet<String>([
            (IPPrefix("10.0.0.0/8")!, "eight"), (IPPrefix("10.1.0.0/16")!, "sixteen"), (IPPrefix("10.1.2.0/24")!, "twentyfour"),
            (IPPrefix("10.1.2.3")!, "host"), (IPPrefix("0.0.0.0/0")!, "default-v4"), (IPPrefix("2001:db8::/32")!, "v6"),
            (IPPrefix("2001:db8:1::/48")!, "v6-48"), (IPPrefix("255.255.255.255")!, "last"),
        ], merge: { a, _ in a })
        func v(_ text: String) -> String? { set.lookup(IPAddress(text)!) }
        #expect(v("10.1.2.3") == "host")
        #expect(v("10.1.2.4") == "twentyfour")
        #expect(v("10.1.3.1") == "sixteen")
        #expect(v("10.2.0.0") == "eight")
        #expect(v("11.0.0.0") == "default-v4")
        #expect(v("255.255.255.255") == "last")
        #expect(v("0.0.0.0") == "default-v4")
        #expect(v("2001:db8:1::5") == "v6-48")
        #expect(v("2001:db8:2::5") == "v6")
        #expect(v("2001:db9::") == nil)
    }

    @Test func matchesBruteForceOnRandomSets() {
        var random = SplitMix64(state: 77)
        for round in 0..<20 {
            var entries: [(IPPrefix, Int)] = []
            for i in 0..<(50 + round * 10) {
                // Cluster addresses in a few /16s so prefixes nest often.
                let address = UInt32(10 + random.below(3)) << 24 | UInt32(random.below(4)) << 16 | UInt32(random.below(65536))
                let length = [8, 12, 16, 20, 24, 28, 30, 32][random.below(8)]
                entries.append((IPPrefix(address: IPAddress(ipv4: address), familyLength: length)!, i))
            }
            let set = IPRangeSet(entries.map { ($0.0, $0.1) }, merge: { a, _ in a })
            for _ in 0..<2000 {
                let address = UInt32(10 + random.below(3)) << 24 | UInt32(random.below(4)) << 16 | UInt32(random.below(65536))
                var best: (Int, Int)?  // (length, value)
                var firstValue: [IPPrefix: Int] = [:]
                for (prefix, value) in entries where firstValue[prefix] == nil { firstValue[prefix] = value }
                for (prefix, value) in firstValue {
                    let length = Int(prefix.length) - 96
                    let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
                    if address & mask == prefix.address.ipv4!, best == nil || length > best!.0 { best = (length, value) }
                }
                #expect(set.lookup(ipv4: address) == best?.1, "round \(round) address \(IPAddress(ipv4: address))")
            }
        }
    }

    @Test func domainSuffixesMatchOnLabelBoundaries() {
        let set = DomainSuffixSet<String>([("evil.example", "evil"), ("sub.evil.example", "sub"), ("co", "tld")], merge: { a, _ in a })
        #expect(set.lookup("evil.example")?.value == "evil")
        #expect(set.lookup("A.B.Evil.Example.")?.value == "evil")
        #expect(set.lookup("x.sub.evil.example")?.value == "sub")
        #expect(set.lookup("x.sub.evil.example")?.match == "sub.evil.example")
        #expect(set.lookup("notevil.example") == nil)
        #expect(set.lookup("example") == nil)
        #expect(set.lookup("anything.co")?.value == "tld")
        #expect(set.lookup("") == nil)
        #expect(set.lookup(".") == nil)
    }
}

@Suite struct PublicSuffixListTests {
    /// The list's official test vectors (`checkPublicSuffix('input', 'expected')`).
    @Test func officialTestVectors() throws {
        let list = try PublicSuffixList(contentsOf: SharedData.path("psl/public_suffix_list_2026-10-22.dat"))
        #expect(list.ruleCount > 9000)
        let text = try String(contentsOfFile: SharedData.path("psl/test_psl.txt"), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") where line.hasPrefix("checkPublicSuffix(") {
            let inner = line.dropFirst("checkPublicSuffix(".count).dropLast(2)
            let parts = inner.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            func unquote(_ s: String) -> String? { s == "null" ? nil : String(s.dropFirst().dropLast()) }
            guard parts.count == 2, let input = unquote(parts[0]) else { continue }
            let expected = unquote(parts[1])
            #expect(list.registrableDomain(of: input) == expected?.lowercased(), "\(input)")
            checked += 1
        }
        #expect(checked > 70)
    }

    @Test func punycodeRulesMatchASCIIQueries() throws {
        let list = PublicSuffixList(text: "公司.cn\n中国\n")
        #expect(list.publicSuffix(of: "shishi.xn--fiqs8s") == "xn--fiqs8s")
        #expect(list.registrableDomain(of: "www.shishi.xn--55qx5d.cn") == "shishi.xn--55qx5d.cn")
        #expect(Punycode.asciiLabel("bücher") == "xn--bcher-kva")
    }
}

@Suite struct IndicatorSetScaleTests {
    /// Mixed /16, /24 and /32 entries with distinct values, as the benchmark builds them.
    @Test func distinctValuesOnMixedPrefixes() {
        var random = SplitMix64(state: 5)
        var prefixes: [(prefix: IPPrefix, value: UInt32)] = []
        for i in 0..<20_000 {
            let address = UInt32(truncatingIfNeeded: random.next())
            let length = i % 100 == 0 ? 16 : (i % 10 == 0 ? 24 : 32)
            prefixes.append((IPPrefix(address: IPAddress(ipv4: address), familyLength: length)!, UInt32(i)))
        }
        let set = IPRangeSet(prefixes, merge: { a, _ in a })
        for (prefix, value) in prefixes.prefix(2000) where prefix.length == 128 {
            #expect(set.lookup(prefix.address) == value)
        }
        var hits = 0
        for _ in 0..<100_000 where set.lookup(ipv4: UInt32(truncatingIfNeeded: random.next())) != nil { hits += 1 }
        #expect(hits > 0)
    }
}
