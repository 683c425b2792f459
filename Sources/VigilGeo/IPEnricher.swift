import Atomics
import Foundation
import VigilIntel
import VigilModel

/// Fills `remoteIpDetails` in findings — country, organisation (ASN), city, coordinates — from
/// the configured databases, consulted in order and merged field by field.
///
/// Only public addresses are looked up: private, loopback and link-local addresses are left as
/// they are, and AWS service "addresses" (`ec2.amazonaws.com`) never become `remoteIpDetails` in
/// the first place. Runs on findings, not on every record, and caches answers (bounded).
public final class IPEnricher: @unchecked Sendable {
    public let databases: [any GeoDatabase]
    /// AWS's published address ranges, when a copy is at hand: whether an address is AWS's and in
    /// which region (the instance-credential detector's question).
    public let awsRanges: AWSIPRanges?
    private let countryNames: [String: String]
    private var cache: [IPAddress: IPLocation?] = [:]
    private let cacheLimit = 100_000
    private let lock = NSLock()

    public init(databases: [any GeoDatabase], awsRanges: AWSIPRanges? = nil, countryNames: [String: String] = CountryNames.load()) {
        self.databases = databases
        self.awsRanges = awsRanges
        self.countryNames = countryNames
    }

    /// The databases a Debian machine has: user MMDB files first (city and coordinates), then
    /// libloc (ASN and country) — or, where libloc's database is missing, Tor's GeoIP (country;
    /// Tor derives it from the same IPFire data, so it adds nothing where libloc is). An MMDB that
    /// cannot be opened throws; the others are opened on first use (libloc's is mapped, not read),
    /// and skipped if missing.
    public static func standard(maxMindPaths: [String] = [], awsRanges: AWSIPRanges? = nil) throws -> IPEnricher {
        var databases: [any GeoDatabase] = []
        for path in maxMindPaths { databases.append(try MaxMindDatabase(path: path)) }
        databases.append(LazyGeoDatabase(name: "libloc \(LibLocDatabase.defaultPath), else tor-geoip \(TorGeoIPDatabase.defaultIPv4Path)") {
            (try? LibLocDatabase()) ?? (try? TorGeoIPDatabase())
        })
        return IPEnricher(databases: databases, awsRanges: awsRanges)
    }

    /// Opens every database opened on first use now, and has each make its lookups fast (a
    /// long-running server calls this at start, on a thread of its own, so its first finding does
    /// not wait for it).
    public func open() {
        for database in databases { database.prepare() }
    }

    /// The merged location of a public address, or `nil`.
    public func locate(_ address: IPAddress) -> IPLocation? {
        guard !address.isPrivate else { return nil }
        if let cached = lock.withLock({ cache[address] }) { return cached }
        var merged: IPLocation?
        for database in databases {
            // Later sources only add country and ASN: stop once both are known.
            if let m = merged, m.countryCode != nil, m.asn != nil { break }
            guard let found = database.locate(address) else { continue }
            if merged == nil { merged = found } else { merged!.fill(from: found) }
        }
        if var location = merged, location.countryName == nil, let code = location.countryCode {
            location.countryName = countryNames[code]
            merged = location
        }
        let answer = merged
        lock.withLock {
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[address] = answer
        }
        return merged
    }

    /// The autonomous system and country of a public address, or `nil`: the baselines' per-event
    /// question, answered without text or caching (the databases' own tables are fast). A thread
    /// asking for every event should ask through a ``GeoFactsReader`` of its own.
    public func facts(_ address: IPAddress) -> GeoFacts? {
        guard !address.isPrivate else { return nil }
        return GeoFacts.merged(count: databases.count) { databases[$0].facts(address) }
    }

    /// How each database's facts can be read, in order; `nil` while one of them is still
    /// flattening its table (or can only be asked through its own lookups).
    func factTables() -> [GeoRangeTable.Columns]? {
        var tables: [GeoRangeTable.Columns] = []
        for database in databases {
            switch (database as? any GeoFactTableSource)?.factTable ?? .lookupsOnly {
            case .table(let columns): tables.append(columns)
            case .absent: continue
            case .notYet, .lookupsOnly: return nil
            }
        }
        return tables
    }

    /// The name of autonomous system `asn` from the first database that knows it.
    public func asName(_ asn: UInt32) -> String? {
        for database in databases {
            if let name = database.asName(asn) { return name }
        }
        return nil
    }

    /// `details` with what is known about its address added.
    public func enrich(_ details: RemoteIpDetails) -> RemoteIpDetails {
        guard let text = details.ipAddressV4 ?? details.ipAddressV6, let address = IPAddress(text),
              let location = locate(address) else { return details }
        var out = details
        if location.countryCode != nil || location.countryName != nil {
            out.country = Country(countryCode: location.countryCode, countryName: location.countryName)
        }
        if let city = location.city { out.city = City(cityName: city) }
        if let lat = location.latitude, let lon = location.longitude { out.geoLocation = GeoLocation(lat: lat, lon: lon) }
        if let asn = location.asn {
            let org = location.asnOrganization
            out.organization = Organization(asn: String(asn), asnOrg: org, isp: org, org: org)
        }
        return out
    }

    /// Enriches every `remoteIpDetails` in a finding.
    public func enrich(_ finding: inout Finding) {
        guard var action = finding.service?.action else { return }
        if let details = action.awsApiCallAction?.remoteIpDetails { action.awsApiCallAction?.remoteIpDetails = enrich(details) }
        if let details = action.networkConnectionAction?.remoteIpDetails { action.networkConnectionAction?.remoteIpDetails = enrich(details) }
        if let probes = action.portProbeAction?.portProbeDetails {
            action.portProbeAction?.portProbeDetails = probes.map { probe in
                var p = probe
                if let details = p.remoteIpDetails { p.remoteIpDetails = enrich(details) }
                return p
            }
        }
        finding.service?.action = action
    }
}

/// A database opened on first use (loading Tor's GeoIP ranges takes a moment; a scan with no
/// public remote address never pays it).
final class LazyGeoDatabase: GeoDatabase, GeoFactTableSource, @unchecked Sendable {
    let name: String
    private let open: () -> (any GeoDatabase)?
    /// The opened database (or its absence), once opened: read without a lock.
    private let opening = ManagedAtomicLazyReference<Opened>()
    private let lock = NSLock()

    private final class Opened: Sendable {
        let database: (any GeoDatabase)?
        init(_ database: (any GeoDatabase)?) { self.database = database }
    }

    init(name: String, open: @escaping () -> (any GeoDatabase)?) {
        self.name = name
        self.open = open
    }

    /// Opens the database if it is not yet.
    func load() {
        _ = opened()
    }

    func prepare() {
        opened()?.prepare()
    }

    func locate(_ address: IPAddress) -> IPLocation? {
        opened()?.locate(address)
    }

    func facts(_ address: IPAddress) -> GeoFacts? {
        opened()?.facts(address)
    }

    var factTable: GeoFactTable {
        guard let done = opening.load() else { return .notYet }
        guard let database = done.database else { return .absent }
        return (database as? any GeoFactTableSource)?.factTable ?? .lookupsOnly
    }

    func asName(_ asn: UInt32) -> String? {
        opened()?.asName(asn)
    }

    private func opened() -> (any GeoDatabase)? {
        if let done = opening.load() { return done.database }
        // One opener at a time; the others wait for its result rather than opening twice.
        return lock.withLock {
            if let done = opening.load() { return done.database }
            return opening.storeIfNilThenLoad(Opened(open())).database
        }
    }
}
