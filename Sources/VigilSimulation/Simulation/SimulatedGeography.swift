import VigilGeo
import VigilModel

/// The networks the estate simulator draws addresses from — real allocations (Comcast, BT,
/// Deutsche Telekom, AWS, …), so that a real geolocation database places them much as this table
/// does — and a ``GeoDatabase`` over the table, so tests do not depend on the machine's databases.
public enum SimulatedGeography {
    /// One /16 network.
    public struct Network: Sendable {
        public let name: String
        public let prefix: (UInt8, UInt8)
        public let location: IPLocation

        /// An address in the network, from two random bytes.
        public func address(_ random: inout SplitMix64) -> String {
            "\(prefix.0).\(prefix.1).\(1 + random.below(254)).\(1 + random.below(254))"
        }
    }

    static func network(_ name: String, _ a: UInt8, _ b: UInt8, _ country: String, _ countryName: String, _ city: String,
                        _ lat: Double, _ lon: Double, _ asn: UInt32, _ org: String) -> Network {
        Network(name: name, prefix: (a, b), location: IPLocation(countryCode: country, countryName: countryName, city: city,
                                                                 latitude: lat, longitude: lon, asn: asn, asnOrganization: org))
    }

    public static let comcast = network("comcast", 73, 162, "US", "United States", "San Francisco", 37.77, -122.42, 7922, "COMCAST-7922")
    public static let comcastEast = network("comcast-east", 98, 207, "US", "United States", "Boston", 42.36, -71.06, 7922, "COMCAST-7922")
    public static let bt = network("bt", 86, 128, "GB", "United Kingdom", "London", 51.51, -0.13, 2856, "BT-UK-AS")
    public static let telekom = network("telekom", 87, 128, "DE", "Germany", "Berlin", 52.52, 13.40, 3320, "DTAG")
    public static let orange = network("orange", 90, 10, "FR", "France", "Paris", 48.86, 2.35, 3215, "Orange")
    public static let ntt = network("ntt", 153, 156, "JP", "Japan", "Tokyo", 35.68, 139.69, 4713, "OCN NTT Communications")
    public static let oi = network("oi", 189, 10, "BR", "Brazil", "São Paulo", -23.55, -46.63, 8167, "Brasil Telecom")
    public static let beeline = network("beeline", 95, 24, "RU", "Russia", "Moscow", 55.75, 37.62, 8402, "Corbina-AS")
    public static let digitalOcean = network("digitalocean", 167, 99, "DE", "Germany", "Frankfurt", 50.11, 8.68, 14061, "DIGITALOCEAN-ASN")
    public static let vultr = network("vultr", 45, 32, "NL", "Netherlands", "Amsterdam", 52.37, 4.90, 20473, "AS-CHOOPA")
    public static let hetzner = network("hetzner", 94, 130, "DE", "Germany", "Falkenstein", 50.48, 12.37, 24940, "Hetzner Online GmbH")
    public static let selectel = network("selectel", 188, 120, "RU", "Russia", "Saint Petersburg", 59.94, 30.31, 49505, "Selectel")
    public static let googleCloud = network("google-cloud", 34, 70, "US", "United States", "Council Bluffs", 41.26, -95.86, 396982, "GOOGLE-CLOUD-PLATFORM")
    public static let awsEast = network("aws-us-east-1", 3, 80, "US", "United States", "Ashburn", 39.04, -77.49, 14618, "AMAZON-AES")
    public static let awsOther = network("aws-other", 54, 160, "US", "United States", "Ashburn", 39.04, -77.49, 14618, "AMAZON-AES")
    public static let s3 = network("aws-s3", 52, 216, "US", "United States", "Ashburn", 39.04, -77.49, 16509, "AMAZON-02")
    public static let github = network("github", 140, 82, "US", "United States", "San Francisco", 37.77, -122.42, 36459, "GITHUB")
    public static let fastly = network("fastly", 151, 101, "US", "United States", "San Francisco", 37.77, -122.42, 54113, "FASTLY")

    public static let all = [comcast, comcastEast, bt, telekom, orange, ntt, oi, beeline, digitalOcean, vultr, hetzner, selectel,
                             googleCloud, awsEast, awsOther, s3, github, fastly]

    /// Locates the simulator's networks.
    public struct Database: GeoDatabase {
        public let name = "simulated geography"
        public init() {}
        public func locate(_ address: IPAddress) -> IPLocation? {
            guard let v4 = address.ipv4 else { return nil }
            let a = UInt8(v4 >> 24), b = UInt8((v4 >> 16) & 0xFF)
            return SimulatedGeography.all.first { $0.prefix.0 == a && $0.prefix.1 == b }?.location
        }
    }

    /// An enricher over the table alone.
    public static func enricher() -> IPEnricher { IPEnricher(databases: [Database()], countryNames: [:]) }
}
