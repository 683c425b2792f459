import Crypto
import Foundation

/// A feed Vigil can fetch: where from, in which format, and what its entries are known for.
public struct FeedSource: Codable, Hashable, Sendable {
    public var name: String
    public var category: ThreatCategory
    public var format: ListFormat
    public var url: String

    public init(name: String, category: ThreatCategory, format: ListFormat, url: String) {
        self.name = name
        self.category = category
        self.format = format
        self.url = url
    }

    /// Parses `CATEGORY=[FORMAT:]URL`; the name is the URL's last path component.
    public init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), let category = ThreatCategory(rawValue: String(argument[..<equals])) else { return nil }
        var rest = String(argument[argument.index(after: equals)...])
        var format = ListFormat.txt
        if let colon = rest.firstIndex(of: ":"), let f = ListFormat(name: String(rest[..<colon])), !rest[colon...].hasPrefix("://") {
            format = f
            rest = String(rest[rest.index(after: colon)...])
        }
        guard let url = URL(string: rest), url.scheme != nil else { return nil }
        let last = url.lastPathComponent
        self.init(name: last.isEmpty || last == "/" ? (url.host ?? "feed") : last, category: category, format: format, url: rest)
    }
}

/// The public feeds `vigil intel update` fetches by default.
public enum FeedCatalog {
    public static let defaults: [FeedSource] = [
        FeedSource(name: "tor-exit-nodes", category: .torExit, format: .txt, url: "https://check.torproject.org/torbulkexitlist"),
        FeedSource(name: "tor-relays", category: .torRelay, format: .txt, url: "https://www.dan.me.uk/torlist/?full"),
        FeedSource(name: "feodo-tracker-c2", category: .commandAndControl, format: .txt, url: "https://feodotracker.abuse.ch/downloads/ipblocklist.txt"),
        FeedSource(name: "ipsum-level3", category: .malicious, format: .txt, url: "https://raw.githubusercontent.com/stamparm/ipsum/master/levels/3.txt"),
        FeedSource(name: "et-compromised-ips", category: .malicious, format: .txt, url: "https://rules.emergingthreats.net/blockrules/compromised-ips.txt"),
        FeedSource(name: "spamhaus-drop", category: .malicious, format: .txt, url: "https://www.spamhaus.org/drop/drop.txt"),
        FeedSource(name: "coinblocker-hosts", category: .mining, format: .txt, url: "https://zerodot1.gitlab.io/CoinBlockerLists/list.txt"),
        FeedSource(name: "coinblocker-ips", category: .mining, format: .txt, url: "https://zerodot1.gitlab.io/CoinBlockerLists/MiningServerIPList.txt"),
        FeedSource(name: "openphish", category: .phishing, format: .txt, url: "https://openphish.com/feed.txt"),
        FeedSource(name: "urlhaus-hosts", category: .driveBy, format: .hosts, url: "https://urlhaus.abuse.ch/downloads/hostfile/"),
    ]
}

/// A folder of fetched feeds with a manifest (`manifest.json`) recording what each file is, where
/// it came from and when. Reading needs no network: a scan uses whatever the folder holds.
public struct FeedStore: Sendable {
    public let directory: URL

    public struct Record: Codable, Hashable, Sendable {
        public var source: FeedSource
        public var file: String
        public var fetchedAt: String
        public var sha256: String
        public var bytes: Int
    }

    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory)
    }

    /// `$VIGIL_FEEDS_DIR`, else `~/.local/share/vigil/feeds`.
    public static var defaultDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["VIGIL_FEEDS_DIR"], !dir.isEmpty { return dir }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/vigil/feeds").path
    }

    var manifestURL: URL { directory.appendingPathComponent("manifest.json") }

    /// The feeds the folder holds.
    public func records() -> [Record] {
        guard let data = try? Data(contentsOf: manifestURL),
              let records = try? JSONDecoder().decode([Record].self, from: data) else { return [] }
        return records.filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0.file).path) }
    }

    /// The held feeds as lists to load.
    public func sources() -> [ThreatListSource] {
        records().map {
            ThreatListSource(name: $0.source.name, category: $0.source.category, format: $0.source.format,
                             path: directory.appendingPathComponent($0.file).path)
        }
    }

    /// What happened to one feed in an update.
    public enum Outcome: Sendable, Equatable {
        case updated(bytes: Int)
        /// The fetch failed; an earlier copy (if any) is kept.
        case failed(reason: String, keptCopyFrom: String?)
    }

    /// Fetches each feed with `fetch` and stores it; a failed fetch keeps the previous copy.
    public func update(_ feeds: [FeedSource], now: Date = Date(),
                       fetch: (URL) async throws -> Data) async throws -> [(FeedSource, Outcome)] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var records = Dictionary(self.records().map { ($0.source.name, $0) }, uniquingKeysWith: { _, b in b })
        var outcomes: [(FeedSource, Outcome)] = []
        for feed in feeds {
            guard let url = URL(string: feed.url) else {
                outcomes.append((feed, .failed(reason: "not a URL", keptCopyFrom: records[feed.name]?.fetchedAt)))
                continue
            }
            do {
                let data = try await fetch(url)
                guard !data.isEmpty else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "empty response"]) }
                let file = "\(feed.name).\(feed.format.rawValue.lowercased())"
                let target = directory.appendingPathComponent(file)
                try data.write(to: target, options: .atomic)
                let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                records[feed.name] = Record(source: feed, file: file, fetchedAt: ISO8601DateFormatter().string(from: now),
                                            sha256: digest, bytes: data.count)
                outcomes.append((feed, .updated(bytes: data.count)))
            } catch {
                outcomes.append((feed, .failed(reason: "\(error.localizedDescription)", keptCopyFrom: records[feed.name]?.fetchedAt)))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(records.values.sorted { $0.source.name < $1.source.name }).write(to: manifestURL, options: .atomic)
        return outcomes
    }
}
