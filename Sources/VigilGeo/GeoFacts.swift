import VigilModel

/// What the baselines need of an address's location, in eight bytes: its autonomous system and
/// country, with no text to allocate (names are looked up only for what is shown).
public struct GeoFacts: Hashable, Sendable {
    /// The autonomous system number, 0 when unknown.
    public var asn: UInt32
    /// The country code's two ASCII letters (`U` << 8 | `S`), 0 when unknown.
    public var country: UInt16

    public init(asn: UInt32, country: UInt16) {
        self.asn = asn
        self.country = country
    }

    /// From a location's ASN and two-letter country code.
    public init(_ location: IPLocation) {
        asn = location.asn ?? 0
        let code = Array((location.countryCode ?? "").utf8)
        country = code.count == 2 ? UInt16(code[0]) << 8 | UInt16(code[1]) : 0
    }

    public var isEmpty: Bool { asn == 0 && !hasCountry }

    /// Whether a country is known (not 0, `??` or `--`).
    public var hasCountry: Bool { country != 0 && country != 0x3F3F && country != 0x2D2D }

    /// The country code as text (`US`), or `nil`.
    public var countryCode: String? {
        guard hasCountry else { return nil }
        return String(decoding: [UInt8(country >> 8), UInt8(country & 0xFF)], as: UTF8.self)
    }

    /// Packed into one word (0: nothing known), for tables.
    var packed: UInt64 { UInt64(asn) << 16 | UInt64(country) }

    init(packed: UInt64) {
        asn = UInt32(truncatingIfNeeded: packed >> 16)
        country = UInt16(truncatingIfNeeded: packed)
    }
}

extension GeoFacts {
    /// The facts of `count` sources asked in order, merged field by field: the first source's,
    /// with an unknown ASN or country taken from the next that knows it; `nil` if none knows.
    static func merged(count: Int, _ source: (Int) -> GeoFacts?) -> GeoFacts? {
        var merged: GeoFacts?
        for index in 0..<count {
            if let m = merged, m.asn != 0, m.country != 0 { break }
            guard let found = source(index) else { continue }
            guard var m = merged else {
                merged = found
                continue
            }
            if m.asn == 0 { m.asn = found.asn }
            if m.country == 0 { m.country = found.country }
            merged = m
        }
        return merged
    }
}
