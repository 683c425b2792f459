import VigilModel

/// What is known about where an address is and who runs it.
public struct IPLocation: Hashable, Sendable {
    public var countryCode: String?
    public var countryName: String?
    public var city: String?
    public var latitude: Double?
    public var longitude: Double?
    /// Autonomous system number, e.g. 15169.
    public var asn: UInt32?
    /// The autonomous system's organisation, e.g. `GOOGLE`.
    public var asnOrganization: String?

    public init(countryCode: String? = nil, countryName: String? = nil, city: String? = nil, latitude: Double? = nil,
                longitude: Double? = nil, asn: UInt32? = nil, asnOrganization: String? = nil) {
        self.countryCode = countryCode
        self.countryName = countryName
        self.city = city
        self.latitude = latitude
        self.longitude = longitude
        self.asn = asn
        self.asnOrganization = asnOrganization
    }

    /// Fills what this location lacks from `other` (earlier sources win field by field).
    public mutating func fill(from other: IPLocation) {
        if countryCode == nil { countryCode = other.countryCode }
        if countryName == nil, countryCode == nil || countryCode == other.countryCode { countryName = other.countryName }
        if city == nil { city = other.city }
        if latitude == nil || longitude == nil, let lat = other.latitude, let lon = other.longitude {
            latitude = lat
            longitude = lon
        }
        if asn == nil { asn = other.asn }
        if asnOrganization == nil, asn == other.asn { asnOrganization = other.asnOrganization }
    }

    public var isEmpty: Bool { countryCode == nil && city == nil && asn == nil && latitude == nil }
}

/// A source of IP locations.
public protocol GeoDatabase: Sendable {
    /// A short description for logs (`libloc location.db (2022-10-29)`).
    var name: String { get }
    func locate(_ address: IPAddress) -> IPLocation?
    /// The autonomous system and country alone, without text (the baselines' per-event path).
    func facts(_ address: IPAddress) -> GeoFacts?
    /// The name of an autonomous system, when the database knows it.
    func asName(_ asn: UInt32) -> String?
    /// Makes later lookups fast now rather than as they come (a long-running server at start).
    func prepare()
}

extension GeoDatabase {
    public func facts(_ address: IPAddress) -> GeoFacts? {
        locate(address).map(GeoFacts.init)
    }

    public func asName(_ asn: UInt32) -> String? { nil }

    public func prepare() {}
}
