import Foundation
import VigilGeo
import VigilAPI
import VigilAWS
import VigilDetection
import VigilIntel
import VigilModel
import VigilPublish
import VigilServer

/// Vigil's configuration file (JSON). Every member is optional; command-line options add to the
/// lists given here and override the single values. Relative paths are relative to the file.
///
/// ```json
/// {
///   "threatLists": [
///     {"path": "/etc/vigil/lists/bad-ips.txt"},
///     {"path": "/etc/vigil/lists/otx.csv", "format": "OTX_CSV", "name": "OTX export"},
///     {"path": "/var/lib/vigil/tor.intel", "category": "tor-exit"}
///   ],
///   "trustedLists": [{"path": "/etc/vigil/lists/office.txt"}],
///   "feedsDirectory": "/var/lib/vigil/feeds",
///   "builtinIntel": true,
///   "geoip": {"enabled": true, "maxMindDatabases": ["/var/lib/GeoIP/GeoLite2-City.mmdb"]},
///   "publicSuffixList": "/usr/share/publicsuffix/public_suffix_list.dat",
///   "detection": {"networkBehaviour": {"portscanPorts": 30}},
///   "apiCredentials": [{"accessKeyId": "AKIAVIGIL…", "secretAccessKey": "…", "accountId": "123456789012"}],
///   "eventDelivery": {"webhooks": [{"url": "https://hooks.example/vigil", "secret": "…"}], "files": ["/var/log/vigil/findings.jsonl"]}
/// }
/// ```
public struct VigilConfiguration: Codable, Sendable, Equatable {
    public struct List: Codable, Sendable, Equatable {
        public var path: String
        /// A ``ListFormat`` name; recognised from the file when absent.
        public var format: String?
        /// A ``ThreatCategory``; `custom` when absent.
        public var category: String?
        /// The name findings show; the file name when absent.
        public var name: String?
    }

    public struct GeoIP: Codable, Sendable, Equatable {
        public var enabled: Bool?
        public var maxMindDatabases: [String]?
    }

    public var threatLists: [List]?
    public var trustedLists: [List]?
    public var feedsDirectory: String?
    public var builtinIntel: Bool?
    public var geoip: GeoIP?
    public var publicSuffixList: String?
    /// Detector windows and thresholds (``DetectionSettings``); only the members given change.
    public var detection = DetectionSettings()
    /// The access keys `vigil serve`'s API accepts, each bound to an account.
    public var apiCredentials: [APICredential]?
    /// Where `vigil serve` pushes findings (webhooks, JSON-lines files).
    public var eventDelivery: EventDelivery?
    /// Where lists named through the API may be read from: folders (`{account}` stands for the
    /// caller's account) and `http(s)://` URL prefixes. Default: `<data-dir>/lists/{account}`.
    public var listLocations: [String]?
    /// Non-public address ranges (CIDR) that list URLs may still reach.
    public var listPrivateNetworks: [String]?
    /// The longest a list URL may take to fetch, seconds (30 by default).
    public var listFetchTimeoutSeconds: Double?
    /// The most accounts `vigil serve` analyses at once (10,000 by default); records of further
    /// accounts are refused and reported.
    public var maximumAccounts: Int?
    /// Limits on `vigil serve`'s connections and requests (``HTTPLimits``); only the members given change.
    public var httpLimits: HTTPLimits?
    /// Folders publishing destinations may write under, each account in its own subfolder.
    /// Default: `<data-dir>/exports`.
    public var exportLocations: [String]?
    /// S3 places (`bucket` or `bucket/prefix`) each account's publishing destinations are written
    /// to in S3 itself, by account ID; destinations elsewhere are written under `exportLocations`.
    public var exportBuckets: [String: [String]]?
    /// Networks (CIDR) allowed to read `vigil serve`'s `/metrics`. Default: loopback only.
    public var metricsNetworks: [String]?
    /// The store: `sqlite:FOLDER` or `postgres://USER@HOST:PORT/DATABASE` (the password from
    /// `PGPASSWORD`). Default: SQLite in the data folder. `--store` and `$VIGIL_STORE` win.
    public var store: String?
    /// Sigma rule files and folders (relative to the configuration file), run beside the
    /// built-in detectors. `--rules` adds to them.
    public var rules: [String]?
    /// Whether Vigil's own rule pack runs (default true). `--no-rule-pack` turns it off.
    public var rulePack: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case threatLists, trustedLists, feedsDirectory, builtinIntel, geoip, publicSuffixList, apiCredentials, eventDelivery,
             listLocations, listPrivateNetworks, listFetchTimeoutSeconds, exportLocations, exportBuckets, httpLimits, maximumAccounts,
             metricsNetworks, store, rules, rulePack
    }

    public init() {}

    /// A configuration file that cannot be used.
    public struct Problem: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Reads and checks a configuration file: unknown categories or formats are errors that name
    /// the entry.
    public static func load(path: String) throws(Problem) -> VigilConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(path: path, reason: "cannot read the file") }
        return try load(data: data, path: path)
    }

    /// Reads and checks a configuration's bytes, as read from `path` (relative paths in it are
    /// relative to that file's folder; errors name it).
    public static func load(data input: Data, path: String) throws(Problem) -> VigilConfiguration {
        var data = input
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }  // a byte-order mark
        if let depth = JSONTree.depthExceeding(64, in: Array(data)) {
            throw Problem(path: path, reason: "the JSON is nested deeper than 64 levels (at byte \(depth))")
        }
        var configuration: VigilConfiguration
        do {
            configuration = try JSONDecoder().decode(VigilConfiguration.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw Problem(path: path, reason: "not valid JSON: \(context.debugDescription)")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw Problem(path: path, reason: "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw Problem(path: path, reason: "\((context.codingPath + [key]).map(\.stringValue).joined(separator: ".")) is required")
        } catch {
            throw Problem(path: path, reason: "\(error)")
        }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let known = Set(CodingKeys.allCases.map(\.rawValue) + ["detection"])
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw Problem(path: path, reason: "\(unknown): unknown setting")
            }
            if let detection = object["detection"] {
                do { configuration.detection = try DetectionSettings.merging(detection) } catch {
                    throw Problem(path: path, reason: error.description)
                }
            }
        }
        for (kind, lists) in [("threatLists", configuration.threatLists ?? []), ("trustedLists", configuration.trustedLists ?? [])] {
            for (index, list) in lists.enumerated() {
                if let format = list.format, ListFormat(name: format) == nil {
                    throw Problem(path: path, reason: "\(kind)[\(index)].format: unknown format '\(format)'")
                }
                if let category = list.category, ThreatCategory(rawValue: category) == nil {
                    throw Problem(path: path, reason: "\(kind)[\(index)].category: unknown category '\(category)'")
                }
            }
        }
        for (index, location) in (configuration.listLocations ?? []).enumerated() where location.contains("://") {
            guard let url = URL(string: location), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
                throw Problem(path: path, reason: "listLocations[\(index)]: '\(location)' is neither a folder nor an http(s) URL prefix")
            }
        }
        for (member, networks) in [("listPrivateNetworks", configuration.listPrivateNetworks), ("metricsNetworks", configuration.metricsNetworks)] {
            for (index, network) in (networks ?? []).enumerated() where IPPrefix(network) == nil {
                throw Problem(path: path, reason: "\(member)[\(index)]: '\(network)' is not an address or CIDR range")
            }
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardizedFileURL.path }
        configuration.threatLists = configuration.threatLists?.map { var l = $0; l.path = resolve(l.path); return l }
        configuration.trustedLists = configuration.trustedLists?.map { var l = $0; l.path = resolve(l.path); return l }
        configuration.feedsDirectory = configuration.feedsDirectory.map(resolve)
        configuration.rules = configuration.rules?.map(resolve)
        configuration.publicSuffixList = configuration.publicSuffixList.map(resolve)
        let eventFiles = configuration.eventDelivery?.files.map(resolve) ?? []
        configuration.eventDelivery?.files = eventFiles
        if let formats = configuration.eventDelivery?.fileFormats {
            configuration.eventDelivery?.fileFormats = Dictionary(formats.map { (resolve($0.key), $0.value) }) { _, last in last }
        }
        configuration.listLocations = configuration.listLocations?.map { $0.contains("://") ? $0 : resolve($0) }
        configuration.exportLocations = configuration.exportLocations?.map(resolve)
        for (account, places) in configuration.exportBuckets ?? [:] {
            guard AccountID(account) != nil else { throw Problem(path: path, reason: "exportBuckets: \(account) is not a 12-digit account ID") }
            for place in places where S3Location("s3://" + place) == nil {
                throw Problem(path: path, reason: "exportBuckets.\(account): \(place) is not bucket or bucket/prefix")
            }
        }
        if let maximum = configuration.maximumAccounts, maximum < 1 {
            throw Problem(path: path, reason: "maximumAccounts: must be at least 1")
        }
        if let timeout = configuration.listFetchTimeoutSeconds, !(timeout > 0 && timeout <= 600) {
            throw Problem(path: path, reason: "listFetchTimeoutSeconds: must be between 0 and 600")
        }
        let databases = configuration.geoip?.maxMindDatabases?.map(resolve)
        configuration.geoip?.maxMindDatabases = databases
        return configuration
    }

    /// The threat intelligence to use: Vigil's built-in lists and feeds folder (unless `builtIn` is
    /// false or the file turns them off), the file's lists, and `threatLists`/`trustedLists` given
    /// on the command line.
    public func intelligence(builtIn: Bool, feedsDirectory folder: String?, threatLists: [ThreatListSource],
                             trustedLists: [ThreatListSource]) throws(ThreatIntelligence.LoadError) -> ThreatIntelligence {
        let (threats, trusted) = listSources(builtIn: builtIn, feedsDirectory: folder, threatLists: threatLists, trustedLists: trustedLists)
        return try ThreatIntelligence.load(threatLists: threats, trustedLists: trusted)
    }

    /// The sources ``intelligence(builtIn:feedsDirectory:threatLists:trustedLists:)`` loads.
    public func listSources(builtIn: Bool, feedsDirectory folder: String?, threatLists: [ThreatListSource],
                            trustedLists: [ThreatListSource]) -> (threats: [ThreatListSource], trusted: [ThreatListSource]) {
        let useBuiltIn = builtIn && (builtinIntel ?? true)
        let feedsFolder = folder ?? feedsDirectory ?? FeedStore.defaultDirectory
        let feeds = useBuiltIn ? BuiltInLists.sources + FeedStore(directory: feedsFolder).sources() : []
        return (feeds + threatListSources + threatLists, trustedListSources + trustedLists)
    }

    /// AWS's address ranges from the feeds folder (`vigil intel update` fetches them), if there.
    public func awsRanges(feedsDirectory folder: String?) -> AWSIPRanges? {
        AWSIPRanges.load(folder: folder ?? feedsDirectory ?? FeedStore.defaultDirectory)
    }

    /// The configured threat lists as sources.
    public var threatListSources: [ThreatListSource] { (threatLists ?? []).map(Self.source) }
    public var trustedListSources: [ThreatListSource] { (trustedLists ?? []).map(Self.source) }

    /// Where `vigil serve` reads the lists API callers name: the configured folders and URL
    /// prefixes, or each account's folder under `<dataDirectory>/lists/`.
    public func listPolicy(dataDirectory: String) -> ListLocationPolicy {
        let locations = listLocations ?? [(dataDirectory as NSString).appendingPathComponent("lists/{account}")]
        var policy = ListLocationPolicy(folders: locations.filter { !$0.contains("://") }, urlPrefixes: locations.filter { $0.contains("://") },
                                        privateNetworks: listPrivateNetworks ?? [])
        if let listFetchTimeoutSeconds { policy.timeout = listFetchTimeoutSeconds }
        return policy
    }

    static func source(_ list: List) -> ThreatListSource {
        ThreatListSource(name: list.name, category: list.category.flatMap(ThreatCategory.init(rawValue:)) ?? .custom,
                         format: list.format.flatMap(ListFormat.init(name:)), path: list.path)
    }
}
