import Foundation
import Testing
@testable import VigilGeo
import VigilModel
import VigilTesting

/// Geolocation against the real databases Debian ships (libloc, Tor GeoIP, iso-codes) and a real
/// GeoLite2 City database from PyPI's `maxminddb-geolite2`.
@Suite struct GeoTests {
    /// The GeoLite2 City file the `maxminddb-geolite2` package installs.
    static func geoLiteCity() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import _maxminddb_geolite2, os; print(os.path.join(os.path.dirname(_maxminddb_geolite2.__file__), 'GeoLite2-City.mmdb'))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let path = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "maxminddb-geolite2 is not installed (scripts/install-deps installs it)"])
        }
        return path
    }

    @Test func libLocGivesASNAndCountry() throws {
        let db = try LibLocDatabase()
        let google = try #require(db.locate(IPAddress("8.8.8.8")!))
        #expect(google.asn == 15169)
        #expect(google.asnOrganization?.lowercased().contains("google") == true)
        #expect(google.countryCode == "US")
        let v6 = try #require(db.locate(IPAddress("2001:4860:4860::8888")!))
        #expect(v6.asn == 15169)
    }

    @Test func torGeoIPGivesCountries() throws {
        let db = try TorGeoIPDatabase()
        #expect(db.rangeCount > 100_000)
        #expect(db.locate(IPAddress("1.0.0.1")!)?.countryCode == "AU")
        #expect(db.locate(IPAddress("10.0.0.1")!) == nil)
        #expect(TorGeoIPDatabase.prefixes(from: 16_777_216, to: 16_777_471).map(\.description) == ["1.0.0.0/24"])
        #expect(TorGeoIPDatabase.prefixes(from: 5, to: 10).map(\.description) == ["0.0.0.5", "0.0.0.6/31", "0.0.0.8/31", "0.0.0.10"])
    }

    @Test func maxMindCityDatabase() throws {
        let db = try MaxMindDatabase(path: try Self.geoLiteCity())
        #expect(db.name.hasPrefix("GeoLite2-City"))
        let location = try #require(db.locate(IPAddress("81.2.69.160")!))
        #expect(location.countryCode == "GB")
        #expect(location.countryName == "United Kingdom")
        #expect(location.latitude != nil && location.longitude != nil)
        #expect(db.locate(IPAddress("10.1.2.3")!) == nil)
    }

    @Test func unreadableDatabasesAreErrors() {
        #expect(throws: (any Error).self) { try MaxMindDatabase(path: "/no/such.mmdb") }
        #expect(throws: (any Error).self) { try LibLocDatabase(path: SharedData.path("psl/test_psl.txt")) }
    }

    @Test func enricherMergesSourcesAndSkipsPrivateAddresses() throws {
        let enricher = IPEnricher(databases: [try MaxMindDatabase(path: try Self.geoLiteCity()), try LibLocDatabase(), try TorGeoIPDatabase()])
        let details = enricher.enrich(RemoteIpDetails(ipAddressV4: "8.8.8.8"))
        #expect(details.country?.countryCode == "US")
        #expect(details.country?.countryName == "United States")
        #expect(details.organization?.asn == "15169")
        #expect(details.geoLocation != nil)
        let privateDetails = enricher.enrich(RemoteIpDetails(ipAddressV4: "10.0.0.5"))
        #expect(privateDetails.country == nil && privateDetails.organization == nil)

        var finding = Finding(accountId: "123456789012", arn: "a", createdAt: "c", id: "i", region: "us-east-1",
                              resource: Resource(resourceType: "AccessKey"),
                              service: Service(action: .apiCall(AwsApiCallAction(api: "ListBuckets", remoteIpDetails: RemoteIpDetails(ipAddressV4: "1.1.1.1")))),
                              severity: 5, type: "Recon:IAMUser/MaliciousIPCaller", updatedAt: "u")
        enricher.enrich(&finding)
        #expect(finding.service?.action?.awsApiCallAction?.remoteIpDetails?.organization?.asn == "13335")
    }
}
