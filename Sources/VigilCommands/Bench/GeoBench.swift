import Foundation
import VigilGeo
import VigilModel
import VigilSimulation

/// `vigil bench --suite geo`: what locating an address costs — libloc's own lookup, the table its
/// networks are copied into and the time the copy takes, and the enricher in front of them —
/// on public addresses that are almost all new, as a scan of attacks, scanners and mobile users sees.
enum GeoBench {
    static func run(lookups: Int = 1_000_000) -> String {
        guard let libloc = try? LibLocDatabase() else { return "Geolocation: libloc's database is missing (apt-get install libloc-database)." }
        var random = SplitMix64(state: 0x6E0)
        let addresses = (0..<lookups).map { _ in IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next()) | 0x0100_0000) }
        var out = "Geolocation, \(lookups) lookups of new public IPv4 addresses:\n"
        let sample = addresses.prefix(100_000)
        var found = 0
        var started = Terminal.now()
        for address in sample where libloc.direct(address) != nil { found += 1 }
        let direct = Double(sample.count) / (Terminal.now() - started)
        started = Terminal.now()
        libloc.buildTable()
        let build = Terminal.now() - started
        started = Terminal.now()
        for address in addresses where libloc.locate(address) != nil { found += 1 }
        let table = Double(addresses.count) / (Terminal.now() - started)
        started = Terminal.now()
        for address in addresses where libloc.facts(address) != nil { found += 1 }
        let facts = Double(addresses.count) / (Terminal.now() - started)
        let enricher = IPEnricher(databases: [libloc])
        started = Terminal.now()
        for address in addresses where enricher.locate(address) != nil { found += 1 }
        let enriched = Double(addresses.count) / (Terminal.now() - started)
        out += String(format: "  libloc's own lookup          %10.0f lookups/s\n", direct)
        out += String(format: "  Vigil's table of its networks %9.0f lookups/s (%.1fx), built in %.2f s\n", table, table / direct, build)
        out += String(format: "  … facts alone (ASN, country)  %9.0f lookups/s (%.1fx)\n", facts, facts / direct)
        out += String(format: "  IPEnricher (cache, names)    %10.0f lookups/s (%.1fx)\n", enriched, enriched / direct)
        precondition(found > 0)
        return out
    }
}
