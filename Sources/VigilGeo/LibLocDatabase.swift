import CVigilGeo
import Foundation
import VigilModel

/// IPFire's location database through Debian's libloc (`libloc-database` installs one at
/// ``defaultPath``): country and autonomous system, with the AS's name.
public final class LibLocDatabase: GeoDatabase, @unchecked Sendable {
    public static let defaultPath = "/usr/share/libloc-location/location.db"
    public let name: String
    private let handle: OpaquePointer
    private let lock = NSLock()

    public struct OpenError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public init(path: String = LibLocDatabase.defaultPath) throws {
        var error = [CChar](repeating: 0, count: 256)
        guard let handle = vg_libloc_open(path, &error, error.count) else {
            throw OpenError(path: path, reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.handle = handle
        self.name = "libloc \(path)"
    }

    deinit { vg_libloc_close(handle) }

    public func locate(_ address: IPAddress) -> IPLocation? {
        var out = vg_location()
        let found = lock.withLock { vg_libloc_lookup(handle, address.description, &out) }
        guard found == 1 else { return nil }
        return IPLocation(out)
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
