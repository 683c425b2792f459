import Foundation
import Testing
@testable import VigilGeo
import VigilIntel
import VigilModel

/// libloc's networks copied into Vigil's longest-prefix table answer as libloc itself does,
/// address for address.
@Suite struct LibLocTableTests {
    /// A detector's own reader answers as the shared enricher does — while the table is still
    /// being built (it asks the enricher) and from the table's columns once there is one — and
    /// moves to the columns by itself.
    @Test func readerAnswersAsTheEnricherDoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-geo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try LibLocDatabase(tableCache: folder)
        let enricher = IPEnricher(databases: [LazyGeoDatabase(name: "libloc") { database }], countryNames: [:])
        let reader = GeoFactsReader(enricher)
        let texts = ["8.8.8.8", "52.95.110.1", "2001:4860:4860::8888", "1.1.1.1", "10.0.0.1", "81.2.69.142", "::1", "203.0.113.9"]
        let addresses = texts.map { IPAddress($0)! }
        for address in addresses { #expect(reader.facts(address) == enricher.facts(address), "\(address) before the table") }
        #expect(enricher.factTables() == nil)
        database.buildTable()
        #expect(enricher.factTables()?.count == 1)
        for _ in 0..<1_100 { _ = reader.facts(addresses[0]) }  // past the next check
        for address in addresses {
            let expected = address.isPrivate ? nil : database.direct(address).map(GeoFacts.init)
            #expect(reader.facts(address) == expected, "\(address) from the columns")
        }
        #expect(reader.facts(IPAddress("8.8.8.8")!)?.asn == 15169)
    }

    @Test func tableAnswersEqualLibLocsForEveryAddress() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-geo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try LibLocDatabase(tableCache: folder)
        database.buildTable()
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        // Clustered like real traffic (a few hundred /16s), IPv4 and IPv6.
        let networks = (0..<300).map { _ in UInt32(truncatingIfNeeded: next()) & 0xFFFF_0000 }
        var addresses = (0..<20_000).map { _ in IPAddress(ipv4: networks[Int(next() % 300)] | UInt32(truncatingIfNeeded: next()) & 0xFFFF) }
        addresses += (0..<2_000).map { _ in IPAddress(high: 0x2000_0000_0000_0000 | ((next() >> 36) << 16), low: next()) }
        var hits = 0
        for address in addresses + addresses.reversed() where !address.isPrivate {
            let direct = database.direct(address)
            let tabled = database.locate(address)
            #expect(tabled?.countryCode == direct?.countryCode, "\(address)")
            #expect(tabled?.asn == direct?.asn, "\(address)")
            #expect(tabled?.asnOrganization == direct?.asnOrganization, "\(address)")
            if tabled != nil { hits += 1 }
        }
        #expect(hits > 10_000)

        let saved = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".table") })
        let path = (folder as NSString).appendingPathComponent(saved)
        // A new process's database answers from the saved table at once, as libloc does.
        let again = try LibLocDatabase(tableCache: folder)
        for text in ["8.8.8.8", "52.95.110.1", "2001:4860:4860::8888", "1.1.1.1"] {
            let address = IPAddress(text)!
            #expect(again.facts(address) == again.direct(address).map(GeoFacts.init), "\(text)")
        }
        // Damaged or foreign bytes are never trusted: the table is rebuilt and the answers stay right.
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(GeoRangeTable(serialized: bytes)?.rangeCount ?? 0 > 100_000)
        #expect(GeoRangeTable(serialized: Array(bytes.prefix(bytes.count - 3))) == nil)
        #expect(GeoRangeTable(serialized: Array("VIGILGEO1".utf8) + [UInt8](repeating: 0xFF, count: 64)) == nil)
        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: path))
        let damaged = try LibLocDatabase(tableCache: folder)
        #expect(damaged.facts(IPAddress("8.8.8.8")!)?.asn == 15169)
    }
}
