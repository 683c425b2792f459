import Foundation
import VigilIntel
import VigilModel

/// Country ranges from Tor's GeoIP files (Debian's `tor-geoipdb`: `/usr/share/tor/geoip` lines
/// `FIRST,LAST,CC` with IPv4 addresses as integers, `geoip6` with IPv6 text).
public final class TorGeoIPDatabase: GeoDatabase, Sendable {
    public static let defaultIPv4Path = "/usr/share/tor/geoip"
    public static let defaultIPv6Path = "/usr/share/tor/geoip6"
    public let name: String
    private let ranges: IPRangeSet<String>
    public let rangeCount: Int

    public init(ipv4Path: String = TorGeoIPDatabase.defaultIPv4Path, ipv6Path: String? = TorGeoIPDatabase.defaultIPv6Path) throws {
        var entries: [(prefix: IPPrefix, value: String)] = []
        guard let v4Data = FileManager.default.contents(atPath: ipv4Path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: ipv4Path])
        }
        let v4 = String(decoding: v4Data, as: UTF8.self)
        for line in v4.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: ",")
            guard parts.count == 3, let first = UInt32(parts[0]), let last = UInt32(parts[1]), parts[2] != "??" else { continue }
            for prefix in TorGeoIPDatabase.prefixes(from: UInt64(first), to: UInt64(last)) {
                entries.append((prefix, String(parts[2])))
            }
        }
        if let ipv6Path, let v6Data = FileManager.default.contents(atPath: ipv6Path) {
            let v6 = String(decoding: v6Data, as: UTF8.self)
            for line in v6.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: ",")
                guard parts.count == 3, parts[2] != "??", let first = IPAddress(parts[0]), let last = IPAddress(parts[1]) else { continue }
                // Tor's IPv6 ranges are CIDR-aligned: find the prefix length from the differing bits.
                let differing = (first.high ^ last.high, first.low ^ last.low)
                let length = differing.0 != 0 ? differing.0.leadingZeroBitCount : 64 + differing.1.leadingZeroBitCount
                if let prefix = IPPrefix(address: first, familyLength: length) { entries.append((prefix, String(parts[2]))) }
            }
        }
        ranges = IPRangeSet(entries, merge: { a, _ in a })
        rangeCount = entries.count
        name = "tor-geoip \(ipv4Path)"
    }

    public func locate(_ address: IPAddress) -> IPLocation? {
        ranges.lookup(address).map { IPLocation(countryCode: $0) }
    }

    /// The CIDR blocks that exactly cover `[first, last]` of IPv4.
    static func prefixes(from first: UInt64, to last: UInt64) -> [IPPrefix] {
        var out: [IPPrefix] = []
        var start = first
        while start <= last {
            var size: UInt64 = 1
            var length = 32
            while length > 0 {
                let bigger = size << 1
                if start % bigger != 0 || start + bigger - 1 > last { break }
                size = bigger
                length -= 1
            }
            out.append(IPPrefix(address: IPAddress(ipv4: UInt32(start)), familyLength: length)!)
            start += size
        }
        return out
    }
}

/// English country names by ISO 3166-1 alpha-2 code, from Debian's `iso-codes`.
public enum CountryNames {
    public static let defaultPath = "/usr/share/iso-codes/json/iso_3166-1.json"

    /// Reads the table; empty if the file is missing.
    public static func load(path: String = CountryNames.defaultPath) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = json["3166-1"] as? [[String: Any]] else { return [:] }
        var names: [String: String] = [:]
        for entry in entries {
            if let code = entry["alpha_2"] as? String, let name = (entry["common_name"] as? String) ?? (entry["name"] as? String) {
                names[code] = name
            }
        }
        return names
    }
}
