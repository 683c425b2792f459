import Foundation
import VigilIntel
import VigilModel
import VigilSimulation

/// Indicator lookups: an IPv4 longest-prefix set and a domain suffix set of a million entries
/// each, probed with random queries, beside Swift's `Set` doing exact-match membership on the
/// same data in the same run.
enum IntelBench {
    static func run(entries: Int, lookups: Int, repeats: Int) -> String {
        var random = SplitMix64(state: 0x1A7E1)
        // A million networks: mostly single addresses, some /24 and /16 ranges, as real feeds mix them.
        var prefixes: [(prefix: IPPrefix, value: UInt32)] = []
        var exact = Set<UInt32>()
        prefixes.reserveCapacity(entries)
        for i in 0..<entries {
            let address = UInt32(truncatingIfNeeded: random.next())
            let length = i % 100 == 0 ? 16 : (i % 10 == 0 ? 24 : 32)
            prefixes.append((IPPrefix(address: IPAddress(ipv4: address), familyLength: length)!, UInt32(i)))
            exact.insert(address)
        }
        let buildStart = Terminal.now()
        let set = IPRangeSet(prefixes, merge: { a, _ in a })
        let buildSeconds = Terminal.now() - buildStart
        // Queries: a quarter are listed addresses, the rest random.
        let queries: [UInt32] = (0..<(1 << 22)).map { i in
            i % 4 == 0 ? prefixes[random.below(prefixes.count)].prefix.address.ipv4! : UInt32(truncatingIfNeeded: random.next())
        }
        func time(_ body: () -> Int) -> (Double, Int) {
            var best = Double.infinity
            var result = 0
            for _ in 0..<max(1, repeats) {
                let start = Terminal.now()
                result = body()
                best = min(best, Terminal.now() - start)
            }
            return (best, result)
        }
        let rounds = max(1, lookups / queries.count)
        let (lpmSeconds, lpmHits) = time {
            var hits = 0
            for _ in 0..<rounds { for q in queries where set.contains(ipv4: q) { hits += 1 } }
            return hits
        }
        let (valueSeconds, _) = time {
            var sum = 0
            for _ in 0..<rounds { for q in queries { if let v = set.lookup(ipv4: q) { sum &+= Int(v) } } }
            return sum
        }
        let (setSeconds, setHits) = time {
            var hits = 0
            for _ in 0..<rounds { for q in queries where exact.contains(q) { hits += 1 } }
            return hits
        }
        let total = Double(rounds * queries.count)

        // Domains: a million registrable-looking names; queries are subdomains of listed names or random names.
        let tlds = ["com", "net", "org", "io", "ru", "xyz", "top", "info", "co.uk", "com.br"]
        var names: [(name: String, value: UInt32)] = []
        names.reserveCapacity(entries)
        for i in 0..<entries { names.append(("\(random.hex(6 + random.below(8))).\(tlds[random.below(tlds.count)])", UInt32(i))) }
        let domainSet = DomainSuffixSet(names, merge: { a, _ in a })
        let nameSet = Set(names.map(\.name))
        let domainQueries: [[UInt8]] = (0..<(1 << 19)).map { i in
            let base = i % 4 == 0 ? names[random.below(names.count)].name : "\(random.hex(10)).\(tlds[random.below(tlds.count)])"
            return Array("\(["www", "api", "cdn", "mail"][random.below(4)]).\(base).".utf8)
        }
        let domainStrings = domainQueries.map { String(decoding: $0.dropLast(), as: UTF8.self) }
        let domainRounds = max(1, lookups / 10 / domainQueries.count)
        let (domainSeconds, domainHits) = time {
            var hits = 0
            for _ in 0..<domainRounds {
                for q in domainQueries where q.withUnsafeBytes({ domainSet.lookup($0) }) != nil { hits += 1 }
            }
            return hits
        }
        let (nameSetSeconds, nameSetHits) = time {
            var hits = 0
            for _ in 0..<domainRounds {
                for q in domainStrings {
                    // Exact-match baseline: check each suffix at a label boundary as a String.
                    var suffix = Substring(q)
                    while true {
                        if nameSet.contains(String(suffix)) { hits += 1; break }
                        guard let dot = suffix.firstIndex(of: ".") else { break }
                        suffix = suffix[suffix.index(after: dot)...]
                    }
                }
            }
            return hits
        }
        let domainTotal = Double(domainRounds * domainQueries.count)
        func row(_ name: String, _ rate: Double, _ baseline: Double, _ label: String) -> String {
            "\(name.padding(toLength: 56, withPad: " ", startingAt: 0)) \(String(format: "%12.0f", rate))   \(String(format: "%6.2f", rate / baseline))× \(label)\n"
        }
        var out = "Indicator lookups (one core): \(entries) IPv4 networks (1% /16, 9% /24, 90% /32) and \(entries) domains; 1 in 4 queries listed\n"
        out += "set built in \(String(format: "%.2f", buildSeconds)) s; hits: LPM \(lpmHits), Set \(setHits), domains \(domainHits) / \(nameSetHits)\n"
        out += "measurement                                                  lookups/s   vs baseline\n"
        out += row("Swift Set<UInt32>.contains, exact /32 only — baseline", total / setSeconds, total / setSeconds, "Set")
        out += row("IPRangeSet longest-prefix match: listed?", total / lpmSeconds, total / setSeconds, "Set")
        out += row("IPRangeSet longest-prefix match, fetching the value", total / valueSeconds, total / setSeconds, "Set")
        out += row("Swift Set<String>, each suffix as a String — baseline", domainTotal / nameSetSeconds, domainTotal / nameSetSeconds, "Set")
        out += row("DomainSuffixSet on raw query bytes", domainTotal / domainSeconds, domainTotal / nameSetSeconds, "Set")
        return out
    }
}
