import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import VigilGeo
import VigilIntel

/// `vigil intel`: the threat-intelligence feeds and built-in lists.
struct IntelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intel",
        abstract: "Fetch threat-intelligence feeds and show the lists Vigil uses.",
        subcommands: [Update.self, Show.self])

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch the configured feeds into the feeds folder.",
            discussion: """
                Fetches each feed over HTTPS and stores it with a manifest; a feed that cannot be \
                fetched (no network, an error) keeps its previous copy, so scans go on working offline. \
                Without --source, Vigil's default public feeds are fetched.
                """)

        @Option(help: "The feeds folder (default: $VIGIL_FEEDS_DIR or ~/.local/share/vigil/feeds).")
        var feedsDir: String?

        @Option(name: .customLong("source"), help: ArgumentHelp("A feed to fetch instead of the defaults (repeatable): CATEGORY=[FORMAT:]URL.", valueName: "feed"))
        var sources: [String] = []

        @Option(help: "Seconds to wait for each feed.")
        var timeout: Double = 30

        @Option(name: .customLong("aws-ip-ranges"), help: ArgumentHelp("Where to fetch AWS's ip-ranges.json (default: AWS's published URL, fetched with the default feeds).", valueName: "url"))
        var awsIPRanges: String?

        func validate() throws {
            for source in sources where FeedSource(argument: source) == nil {
                throw ValidationError("--source: expected CATEGORY=[FORMAT:]URL, got '\(source)'")
            }
            if let url = awsIPRanges, URL(string: url)?.scheme == nil {
                throw ValidationError("--aws-ip-ranges: expected a URL, got '\(url)'")
            }
        }

        func run() async throws {
            let store = FeedStore(directory: feedsDir ?? FeedStore.defaultDirectory)
            let feeds = sources.isEmpty ? FeedCatalog.defaults : sources.compactMap { FeedSource(argument: $0) }
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = timeout
            configuration.timeoutIntervalForResource = timeout * 4
            let session = URLSession(configuration: configuration)
            // One way of fetching for the feeds and AWS's ranges: an HTTP error is a failure, not a body.
            let fetch: (URL) async throws -> Data = { url in
                let (data, response) = try await session.data(from: url)
                if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                    throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "HTTP \(http.statusCode)"])
                }
                return data
            }
            let outcomes = try await store.update(feeds, fetch: fetch)
            var failures = 0
            var attempts = outcomes.count
            if let rangesURL = awsIPRanges ?? (sources.isEmpty ? AWSIPRanges.publishedURL : nil) {
                attempts += 1
                do {
                    let data = try await fetch(URL(string: rangesURL)!)  // validated in validate()
                    let ranges = try AWSIPRanges(json: data)
                    try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
                    try data.write(to: store.directory.appendingPathComponent(AWSIPRanges.fileName), options: .atomic)
                    print("updated  AWS ip-ranges.json (\(ranges.prefixCount) prefixes, created \(ranges.createDate))")
                } catch {
                    failures += 1
                    let kept = AWSIPRanges.load(folder: store.directory.path)
                    print("failed   AWS ip-ranges.json: \(error)" + (kept.map { "; keeping the copy created \($0.createDate)" } ?? "; no copy yet"))
                }
            }
            for (feed, outcome) in outcomes {
                switch outcome {
                case .updated(let bytes):
                    print("updated  \(feed.name) (\(feed.category.rawValue), \(bytes) bytes)")
                case .failed(let reason, let kept):
                    failures += 1
                    print("failed   \(feed.name): \(reason)" + (kept.map { "; keeping the copy fetched \($0)" } ?? "; no copy yet"))
                }
            }
            print("feeds folder: \(store.directory.path)")
            if failures == attempts && attempts > 0 { throw ExitCode(69) }  // EX_UNAVAILABLE
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the built-in lists and the feeds folder's lists.")

        @Option(help: "The feeds folder (default: $VIGIL_FEEDS_DIR or ~/.local/share/vigil/feeds).")
        var feedsDir: String?

        func run() throws {
            let store = FeedStore(directory: feedsDir ?? FeedStore.defaultDirectory)
            let intel = try ThreatIntelligence.load(threatLists: BuiltInLists.sources + store.sources())
            var out = "NAME\tCATEGORY\tFORMAT\tINDICATORS\tSOURCE\n"
            for list in intel.lists {
                out += "\(list.name)\t\(list.category.rawValue)\t\(list.format.rawValue)\t\(list.indicatorCount)\t\(list.path)\n"
            }
            print(out, terminator: "")
        }
    }
}
