import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import VigilAPI
import VigilAWS
import VigilGeo
import VigilIntel
import VigilModel
import VigilPublish
import VigilServer
import VigilStore

/// `vigil serve`: continuous analysis of watched folders and the GuardDuty-compatible API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Watch log folders, keep findings in a durable store and serve GuardDuty's API.",
        discussion: """
            Every file under a --watch folder (the S3 layout or loose files, plain or gzip) is analysed \
            once it appears; a plain file that grows is read on from where it stopped. Findings are \
            merged into the store (SQLite in --data-dir) with the files' checkpoints in one \
            transaction, so a restart — even kill -9 mid-file — neither skips nor double-counts. The \
            API speaks GuardDuty's rest-json protocol and accepts requests signed (SigV4, service \
            `guardduty`) with the access keys of the configuration file's `apiCredentials`; point boto3 \
            or the aws CLI at it with --endpoint-url http://HOST:PORT. POST /ingest takes logs over \
            HTTP with the same signatures. New findings are pushed to the configuration's \
            `eventDelivery` webhooks, files, EventBridge buses, SNS topics and Security Hub. Findings \
            not updated for --retention-days are deleted.

            --watch s3://BUCKET/PREFIX watches an S3 location: listed every --s3-poll-interval \
            seconds (after the first listing, each date folder only from 36 hours back), each new \
            object — or new version of one (another ETag) — read once and committed with its \
            checkpoint. Credentials, region and endpoint come from the standard AWS chain, as for \
            `vigil scan s3://…`. --sqs-queue URL reads the objects S3 event notifications on a queue \
            announce; a message is deleted once its objects' findings are committed.
            """)

    @Option(help: "Port to listen on (0: any free port, printed on start).")
    var port = 8642

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Folder for the store (vigil.sqlite), fetched lists and exports. Default: $VIGIL_DATA_DIR or ~/.local/share/vigil.")
    var dataDir: String?

    @Option(help: "The store: sqlite:FOLDER or postgres://USER@HOST:PORT/DATABASE (password from PGPASSWORD). Default: $VIGIL_STORE, the configuration's store, or SQLite in --data-dir.")
    var store: String?

    @Option(help: "This node's name in a cluster of nodes sharing one PostgreSQL store (letters, digits, '.', '-', '_'; at most 64): the nodes share the accounts' shards through leases in the store.")
    var nodeId: String?

    @Option(help: "A folder (or file), or an s3://BUCKET/PREFIX location, to watch for new logs (repeatable).")
    var watch: [String] = []

    @Option(help: "Seconds between listings of the watched S3 locations.")
    var s3PollInterval: Double = 30

    @Option(help: "S3 objects downloaded at once.")
    var s3Downloads = 8

    @Option(help: "The first listing of each watched S3 location starts at this day (ISO-8601); default: every object.")
    var s3Since: String?

    @Option(help: "An SQS queue URL receiving S3 event notifications of new log objects (repeatable): direct, through SNS, or EventBridge events.")
    var sqsQueue: [String] = []

    @Option(help: "A bucket SQS notifications may name (repeatable); notifications naming others are refused. Default: any bucket.")
    var sqsBucket: [String] = []

    @Option(help: "Seconds a received SQS message stays invisible to other consumers (extended while its objects are analysed).")
    var sqsVisibility = 300

    @Option(help: .hidden)
    var sqsWait = 20

    @Option(help: "A configuration file (JSON): apiCredentials, eventDelivery, threat and trusted lists, detection settings.")
    var config: String?

    @Flag(help: "Also accept moto's test credentials (FOOBARKEY / FOOBARSECRET, account 123456789012) and POST /moto-api/reset.")
    var testMode = false

    @Option(help: "Days findings are kept after their last update.")
    var retentionDays = 90

    @Option(help: "Seconds between looks at the watched folders.")
    var pollInterval: Double = 1

    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "Sigma rules to run beside the built-in detectors: a .yml file or a folder of them (repeatable).",
        valueName: "path"))
    var rules: [String] = []

    @Flag(help: "Do not run Vigil's own rule pack (the attacker techniques GuardDuty's catalogue misses).")
    var noRulePack = false

    @Option(help: "Partitions of the analysis, each on a thread (default: one per core). Accounts are split among them.")
    var workers: Int?

    @Flag(help: "Do not use Vigil's built-in lists or the feeds folder.")
    var noBuiltinIntel = false

    @Option(help: "Seconds between saves of the learned baselines to the store (they are saved with the checkpoints of the files read).")
    var learnedStateInterval: Double = 60

    @Option(name: .customLong("geoip-mmdb"), help: ArgumentHelp(
        "A MaxMind DB file (GeoLite2 or DB-IP City, Country or ASN) for locating addresses (repeatable).",
        discussion: "Consulted before Debian's libloc database (ASN, country) and Tor's GeoIP ranges (country). Locations enrich findings and feed the baselines (networks, countries, impossible travel).",
        valueName: "path"))
    var geoipDatabases: [String] = []

    @Flag(help: "Do not locate addresses (findings lack country and organisation; baselines use address prefixes).")
    var noGeoip = false

    @Option(help: ArgumentHelp("Serve HTTPS with this certificate chain (PEM); with --tls-key.",
                               discussion: "Signed requests and console secrets cross the network: use HTTPS whenever clients are not on the same machine.",
                               valueName: "path"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The private key (PEM) of --tls-cert.", valueName: "path"))
    var tlsKey: String?

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if retentionDays < 1 { throw ValidationError("--retention-days must be at least 1") }
        if pollInterval <= 0 { throw ValidationError("--poll-interval must be positive") }
        if s3PollInterval <= 0 { throw ValidationError("--s3-poll-interval must be positive") }
        if !(1...64).contains(s3Downloads) { throw ValidationError("--s3-downloads: between 1 and 64") }
        if let s3Since, Timestamp(iso8601: s3Since) == nil { throw ValidationError("--s3-since: not an ISO-8601 time: \(s3Since)") }
        if !(10...43_200).contains(sqsVisibility) { throw ValidationError("--sqs-visibility: between 10 and 43200 seconds") }
        if !(0...20).contains(sqsWait) { throw ValidationError("--sqs-wait: between 0 and 20 seconds") }
        for bucket in sqsBucket where S3Location("s3://\(bucket)")?.prefix != "" || S3Location("s3://\(bucket)") == nil {
            throw ValidationError("--sqs-bucket \(bucket): not a bucket name")
        }
        for queue in sqsQueue {
            guard let url = URLComponents(string: queue), url.scheme == "https" || url.scheme == "http", url.host != nil, url.path.count > 1 else {
                throw ValidationError("--sqs-queue \(queue): not a queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)")
            }
        }
        for path in watch where S3Location.isS3(path) && S3Location(path) == nil {
            throw ValidationError("--watch \(path): not an S3 location (s3://BUCKET/PREFIX, the bucket a valid S3 bucket name)")
        }
        if learnedStateInterval < 0 { throw ValidationError("--learned-state-interval must not be negative") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        // moto's test keys are public: a server that accepts them must not be reachable from elsewhere.
        if testMode, !Self.isLoopback(host) {
            throw ValidationError("--test-mode accepts moto's public test keys, so it listens on loopback only (127.0.0.1, ::1 or localhost), not \(host)")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    func run() async throws {
        // Everything the server creates — the store, fetched lists, exports — is its user's alone.
        umask(0o077)
        var configuration = VigilConfiguration()
        if let config {
            if let mode = (try? FileManager.default.attributesOfItem(atPath: config))?[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
                Terminal.writeError("vigil serve: warning: \(config) can be read by other users (mode \(String(mode.intValue & 0o777, radix: 8))), and it holds secret keys: chmod 600 it\n")
            }
            do { configuration = try VigilConfiguration.load(path: config) } catch {
                Terminal.writeError("vigil serve: \(error)\n")
                throw ExitCode(78)
            }
        }
        let directory = dataDir ?? ProcessInfo.processInfo.environment["VIGIL_DATA_DIR"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share/vigil")
        if let mode = (try? FileManager.default.attributesOfItem(atPath: directory))?[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
            Terminal.writeError("vigil serve: warning: the data folder \(directory) can be read by other users (mode \(String(mode.intValue & 0o777, radix: 8))): chmod 700 it\n")
        }
        var options = VigilServer.Options(dataDirectory: directory)
        options.host = host
        options.port = port
        options.watch = watch.filter { !S3Location.isS3($0) }
        options.s3Watch = watch.compactMap(S3Location.init)
        options.s3PollInterval = s3PollInterval
        options.s3Downloads = s3Downloads
        options.s3Since = s3Since.flatMap { Timestamp(iso8601: $0) }
        options.sqsQueues = sqsQueue
        options.sqsBuckets = Set(sqsBucket)
        options.sqsVisibility = sqsVisibility
        options.sqsWait = sqsWait
        options.testMode = testMode
        options.retentionDays = retentionDays
        options.pollInterval = pollInterval
        if let workers { options.workers = max(1, min(workers, 256)) }
        options.learnedStateInterval = learnedStateInterval
        options.credentials = configuration.apiCredentials ?? []
        options.settings = configuration.detection
        let ruleSet = RuleLoading.load((configuration.rules ?? []) + rules, pack: !noRulePack && configuration.rulePack != false, command: "serve", quiet: false)
        options.addedDetectors = RuleLoading.factory(ruleSet)
        options.searchesGivenUp = RuleLoading.searchesGivenUp(ruleSet)
        if noGeoip || configuration.geoip?.enabled == false {
            options.geo = nil
        } else {
            do {
                options.geo = try IPEnricher.standard(maxMindPaths: (configuration.geoip?.maxMindDatabases ?? []) + geoipDatabases,
                                                      awsRanges: noBuiltinIntel ? nil : configuration.awsRanges(feedsDirectory: nil))
            } catch {
                Terminal.writeError("vigil serve: \(error)\n")
                throw ExitCode(66)
            }
        }
        options.delivery = configuration.eventDelivery ?? EventDelivery()
        if let tlsCert, let tlsKey { options.tls = TLSFiles(certificateChain: tlsCert, privateKey: tlsKey) }
        options.listLocations = configuration.listPolicy(dataDirectory: directory)
        if let roots = configuration.exportLocations { options.exportRoots = roots }
        options.exportBuckets = configuration.exportBuckets ?? [:]
        if let limits = configuration.httpLimits { options.limits = limits }
        if let maximum = configuration.maximumAccounts { options.maximumAccounts = maximum }
        options.publicSuffixes = PublicSuffixList.load(path: configuration.publicSuffixList)
        (options.threatSources, options.trustedSources) = configuration.listSources(builtIn: !noBuiltinIntel, feedsDirectory: nil,
                                                                                     threatLists: [], trustedLists: [])
        if options.credentials.isEmpty && !testMode {
            Terminal.writeError("vigil serve: no apiCredentials in the configuration: every API request will be refused (use --test-mode to accept moto's test keys)\n")
        }
        let location: StoreLocation
        do { location = try StoreLocation(option: self.store, configuration: configuration.store, dataDirectory: directory) } catch {
            Terminal.writeError("vigil serve: \(error)\n")
            throw ExitCode(64)  // EX_USAGE
        }
        // The data folder holds fetched lists and exports whatever the store: the user's alone.
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
            Terminal.writeError("vigil serve: cannot create the data folder \(directory): \(error)\n")
            throw ExitCode(73)
        }
        if let node = nodeId {
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
            guard !node.isEmpty, node.count <= 64, node.allSatisfy(allowed.contains) else {
                Terminal.writeError("vigil serve: --node-id \"\(node)\": use 1 to 64 letters, digits, '.', '-' or '_'\n")
                throw ExitCode(64)
            }
            options.nodeId = node
        }
        let store: any FindingStore
        do { store = try location.open() } catch {
            Terminal.writeError("vigil serve: cannot open the store \(location): \(error)\n")
            throw ExitCode(73)  // EX_CANTCREAT
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Ingest lag runs from a fraction of a second (a file just landed) to days (logs replayed).
        factory.valueHistogramBuckets["vigil_ingest_lag_seconds"] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400]
        MetricsSystem.bootstrap(factory)
        options.metrics = registry
        if let networks = configuration.metricsNetworks { options.metricsNetworks = networks.compactMap(IPPrefix.init) }
        let server: VigilServer
        do { server = try VigilServer(options: options, store: store) } catch {
            Terminal.writeError("vigil serve: \(error)\n")
            throw ExitCode(66)
        }
        let host = self.host, scheme = tlsCert == nil ? "http" : "https", node = options.nodeId.map { ", cluster node \($0)" } ?? ""
        try await server.run { port in
            Terminal.writeError("vigil serve: listening on \(scheme)://\(host):\(port) (store: \(location)\(node))\n")
        }
    }
}
