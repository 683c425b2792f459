import Atomics
import CVigilGeo
import Foundation
import VigilIntel
import VigilModel

/// IPFire's location database through Debian's libloc (`libloc-database` installs one at
/// ``defaultPath``): country and autonomous system, with the AS's name.
///
/// Every network of the database is flattened into a ``GeoRangeTable`` (sorted ranges, about a
/// tenth of a microsecond a lookup from any number of threads at once), saved in the cache folder
/// for the next process: one for each version of the database file, read back in milliseconds.
/// Until a table exists, lookups go to libloc itself (a few microseconds each, so a small scan
/// pays nothing); after ``tableThreshold`` of them the table is built on a thread of its own
/// (under a second) and saved. Both answer alike: the most specific network holding the address.
public final class LibLocDatabase: GeoDatabase, GeoFactTableSource, @unchecked Sendable {
    public static let defaultPath = "/usr/share/libloc-location/location.db"
    /// Direct lookups before the table is built.
    public static let tableThreshold = 2_000
    public let name: String
    private let handle: OpaquePointer
    private let lock = NSLock()
    /// The flattened table once there is one: read without a lock by every partition's thread.
    private let published = ManagedAtomicLazyReference<TableBox>()
    private var table: GeoRangeTable? { published.load()?.table }
    private var directLookups = 0
    private var building = false
    private var asNames: [UInt32: String] = [:]
    /// Where the table of this version of the database is saved (`nil`: nowhere).
    private let tablePath: String?
    private var triedSavedTable = false

    /// The folder flattened tables are saved in: `$VIGIL_CACHE_DIR`, else `$XDG_CACHE_HOME/vigil`,
    /// else `~/.cache/vigil`.
    public static var defaultTableCache: String {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["VIGIL_CACHE_DIR"], !folder.isEmpty { return folder }
        if let base = environment["XDG_CACHE_HOME"], !base.isEmpty { return (base as NSString).appendingPathComponent("vigil") }
        return (NSHomeDirectory() as NSString).appendingPathComponent(".cache/vigil")
    }

    public struct OpenError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// - Parameter tableCache: the folder to save and find flattened tables in (`nil`: build each time).
    public init(path: String = LibLocDatabase.defaultPath, tableCache: String? = LibLocDatabase.defaultTableCache) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let tableCache, let size = (attributes?[.size] as? NSNumber)?.int64Value,
           let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 {
            tablePath = (tableCache as NSString).appendingPathComponent("libloc-\(size)-\(Int64(modified)).table")
        } else {
            tablePath = nil
        }
        var error = [CChar](repeating: 0, count: 256)
        guard let handle = vg_libloc_open(path, &error, error.count) else {
            throw OpenError(path: path, reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.handle = handle
        self.name = "libloc \(path)"
    }

    deinit { vg_libloc_close(handle) }

    public func locate(_ address: IPAddress) -> IPLocation? {
        guard let table = ready() else { return direct(address) }
        guard let facts = table.lookup(address) else { return nil }
        return IPLocation(countryCode: facts.countryCode, asn: facts.asn == 0 ? nil : facts.asn,
                          asnOrganization: facts.asn == 0 ? nil : asName(facts.asn))
    }

    public func facts(_ address: IPAddress) -> GeoFacts? {
        guard let table = ready() else { return direct(address).map(GeoFacts.init) }
        return table.lookup(address)
    }

    var factTable: GeoFactTable { published.load().map { .table($0.table.columns) } ?? .notYet }

    /// The table when there is one (built, or saved by an earlier process); else counts a direct
    /// lookup and, past the threshold, starts building it.
    private func ready() -> GeoRangeTable? {
        if let box = published.load() { return box.table }
        let (ready, startBuilding) = lock.withLock { () -> (GeoRangeTable?, Bool) in
            if let saved = loadSavedTable() { return (saved, false) }
            directLookups += 1
            guard directLookups >= Self.tableThreshold, !building else { return (nil, false) }
            building = true
            return (nil, true)
        }
        if startBuilding { Thread.detachNewThread { self.buildTable() } }
        return ready
    }

    /// The table a process saved for this version of the database, tried once; under `lock`.
    private func loadSavedTable() -> GeoRangeTable? {
        if let table { return table }
        guard !triedSavedTable else { return nil }
        triedSavedTable = true
        guard let tablePath, let data = FileManager.default.contents(atPath: tablePath),
              let saved = GeoRangeTable(serialized: Array(data)) else { return nil }
        building = true
        return published.storeIfNilThenLoad(TableBox(saved)).table
    }

    public func prepare() {
        let start = lock.withLock { () -> Bool in
            guard loadSavedTable() == nil, !building else { return false }
            building = true
            return true
        }
        if start { buildTable() }
    }

    /// Copies every network into the table now (a server at start; tests).
    public func buildTable() {
        var networks: UnsafeMutablePointer<vg_network>?
        let count = lock.withLock { vg_libloc_networks(handle, &networks) }
        defer { free(networks) }
        guard let networks, count > 0 else { return }
        var entries: [GeoRangeTable.Network] = []
        entries.reserveCapacity(count)
        for n in UnsafeBufferPointer(start: networks, count: count) {
            let first = withUnsafeBytes(of: n.first) { IPAddress(bytes: Array($0)) }
            let country = UInt16(UInt8(bitPattern: n.country.0)) << 8 | UInt16(UInt8(bitPattern: n.country.1))
            entries.append(.init(first: first, length: Int(n.prefix), facts: GeoFacts(asn: n.asn, country: country)))
        }
        save(published.storeIfNilThenLoad(TableBox(GeoRangeTable(entries))).table)
    }

    /// A table published once, for the lock-free read.
    final class TableBox: Sendable {
        let table: GeoRangeTable
        init(_ table: GeoRangeTable) { self.table = table }
    }

    /// Saves the table for the next process (atomically, in a folder of the user's own); a
    /// failure only means the next process builds it again.
    private func save(_ table: GeoRangeTable) {
        guard let tablePath else { return }
        let folder = (tablePath as NSString).deletingLastPathComponent
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil else { return }
        let partial = tablePath + ".\(getpid()).partial"
        guard FileManager.default.createFile(atPath: partial, contents: Data(table.serialized()), attributes: [.posixPermissions: 0o600]) else { return }
        if rename(partial, tablePath) != 0 { unlink(partial) }
    }

    /// libloc's own lookup, whether or not the table is built (benchmarks and tests compare them).
    public func direct(_ address: IPAddress) -> IPLocation? {
        var out = vg_location()
        let found = lock.withLock { vg_libloc_lookup(handle, address.description, &out) }
        guard found == 1 else { return nil }
        return IPLocation(out)
    }

    /// The name of autonomous system `asn` (looked up once, then remembered).
    public func asName(_ asn: UInt32) -> String? {
        lock.withLock {
            if let known = asNames[asn] { return known.isEmpty ? nil : known }
            var name = [CChar](repeating: 0, count: 128)
            vg_libloc_as_name(handle, asn, &name, name.count)
            let text = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            asNames[asn] = text
            return text.isEmpty ? nil : text
        }
    }
}

/// A MaxMind DB file through Debian's libmaxminddb: GeoLite2 or DB-IP City, Country or ASN
/// databases, as the user downloads them.
public final class MaxMindDatabase: GeoDatabase, @unchecked Sendable {
    public let name: String
    private let handle: OpaquePointer

    public init(path: String) throws {
        var error = [CChar](repeating: 0, count: 256)
        guard let handle = vg_mmdb_open(path, &error, error.count) else {
            throw LibLocDatabase.OpenError(path: path, reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.handle = handle
        self.name = "\(String(cString: vg_mmdb_type(handle))) \(path)"
    }

    deinit { vg_mmdb_close(handle) }

    public func locate(_ address: IPAddress) -> IPLocation? {
        var out = vg_location()
        guard vg_mmdb_lookup(handle, address.description, &out) == 1 else { return nil }
        let location = IPLocation(out)
        return location.isEmpty ? nil : location
    }
}

extension IPLocation {
    init(_ c: vg_location) {
        func text<T>(_ tuple: T) -> String? {
            withUnsafeBytes(of: tuple) { raw in
                let s = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                return s.isEmpty ? nil : s
            }
        }
        self.init(countryCode: text(c.country_code).flatMap { $0 == "??" || $0 == "--" ? nil : $0 },
                  countryName: text(c.country_name), city: text(c.city),
                  latitude: c.has_coordinates != 0 ? c.latitude : nil, longitude: c.has_coordinates != 0 ? c.longitude : nil,
                  asn: c.asn == 0 ? nil : c.asn, asnOrganization: text(c.as_name))
    }
}
