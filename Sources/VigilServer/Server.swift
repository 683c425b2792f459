import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOPosix
import Prometheus
import VigilAPI
import VigilAWS
import ServiceLifecycle
import VigilDetection
import VigilGeo
import VigilIntel
import VigilLogs
import VigilModel
import VigilPipeline
import VigilPublish
import VigilStore

/// `vigil serve`: the GuardDuty-compatible API over HTTP, and the watcher that analyses log files
/// as they arrive in the watched folders, both over one durable ``FindingStore`` (whichever the
/// caller opened).
///
/// Its long-running parts are services under swift-service-lifecycle, started in this order and
/// shut down gracefully (SIGTERM, SIGINT) in the reverse one: learned-state saves, retention,
/// delivery, the folder watcher, HTTP — so HTTP stops taking requests first, the watcher finishes
/// its round and commits, the outbox round ends, and the learned state is saved last.
public struct VigilServer: Sendable {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 8642
        public var dataDirectory: String
        public var watch: [String] = []
        public var credentials: [APICredential] = []
        public var testMode = false
        public var retentionDays = 90
        /// Seconds between looks at the watched folders.
        public var pollInterval: Double = 1
        /// S3 locations to watch for new log objects.
        public var s3Watch: [S3Location] = []
        /// Seconds between listings of the watched S3 locations.
        public var s3PollInterval: Double = 30
        /// S3 objects downloaded at once.
        public var s3Downloads = 8
        /// The first listing of each S3 location starts at this day (`nil`: every object).
        public var s3Since: Timestamp?
        /// SQS queues receiving S3 event notifications of new log objects.
        public var sqsQueues: [String] = []
        /// The buckets SQS notifications may name (empty: any).
        public var sqsBuckets: Set<String> = []
        /// Seconds a received message stays invisible to other consumers (extended while its
        /// objects are analysed).
        public var sqsVisibility = 300
        /// Seconds a receive waits for a message (SQS long polling, at most 20).
        public var sqsWait = 20
        /// Partitions of the analysis, each on a thread (``FindingPipeline/Settings/workers``).
        public var workers = ProcessInfo.processInfo.activeProcessorCount
        /// Threat and trusted lists from the configuration (and Vigil's built-in ones); the lists
        /// registered through the API (IPSets, threat-intel sets) are added to them.
        public var threatSources: [ThreatListSource] = []
        public var trustedSources: [ThreatListSource] = []
        public var publicSuffixes: PublicSuffixList?
        public var settings = DetectionSettings()
        /// Detectors each account gets beside the built-in ones (Sigma rules), made fresh for each.
        public var addedDetectors: @Sendable () -> [any Detector] = { [] }
        /// How many searches of each added detector gave up at a limit so far (a Sigma rule's
        /// regular expressions), by detector name (``FindingPipeline/Settings/searchesGivenUp``).
        public var searchesGivenUp: @Sendable () -> [String: Int] = { [:] }
        /// Locates addresses for the baselines (networks, countries, travel).
        public var geo: IPEnricher?
        /// Seconds between saves of the learned state (profiles, traffic models) to the store.
        public var learnedStateInterval: Double = 60
        public var delivery = EventDelivery()
        /// The most accounts analysed at once; records of further accounts are refused and reported.
        public var maximumAccounts = 10_000
        /// Folders publishing destinations may write under (each account in its own prefix).
        public var exportRoots: [String]
        /// S3 places each account's publishing destinations are written to in S3 itself (``ExportFolders/buckets``).
        public var exportBuckets: [String: [String]] = [:]
        /// Limits on connections and requests.
        public var limits = HTTPLimits()
        /// Serve HTTPS with this certificate and key.
        public var tls: TLSFiles?
        /// Where the lists API callers name may be read from (by default each account's own
        /// folder under `<data-dir>/lists/`).
        public var listLocations: ListLocationPolicy
        /// Where `GET /metrics` reads the metrics from (`nil`: no `/metrics`); the caller bootstraps
        /// swift-metrics with a Prometheus factory over it.
        public var metrics: PrometheusCollectorRegistry?
        /// The networks `/metrics` answers (loopback by default): the counts span every tenant.
        public var metricsNetworks: [IPPrefix] = [IPPrefix("127.0.0.0/8")!, IPPrefix("::1")!]
        /// This node's name in a cluster of nodes sharing one PostgreSQL store (`nil`: the only
        /// node analysing logs into its store). Each node analyses the shards it holds a lease on.
        public var nodeId: String?
        public init(dataDirectory: String) {
            self.dataDirectory = dataDirectory
            listLocations = ListLocationPolicy(folders: [(dataDirectory as NSString).appendingPathComponent("lists/{account}")])
            exportRoots = [(dataDirectory as NSString).appendingPathComponent("exports")]
        }
    }

    public let options: Options
    public let store: any FindingStore
    public let api: GuardDutyAPI
    /// The lists registered through the API, per account.
    let accountLists = AccountLists()
    let loader: IntelSetLoader
    let activation: ListActivation
    let ingestGate = Gate()
    /// The analysis, kept from poll to poll so that windows span files.
    let pipeline: FindingPipeline
    let publisher: Publisher
    /// The web console under `/console`.
    let console: Console
    let clock: WallClock
    let logger: Logger

    public init(options: Options, store: any FindingStore, clock: WallClock = .system, logger: Logger = Logger(label: "vigil.serve")) throws {
        self.options = options
        self.store = store
        self.clock = clock
        self.logger = logger
        // Copies of fetched lists live outside every folder lists may be read from.
        loader = IntelSetLoader(policy: options.listLocations, cacheDirectory: (options.dataDirectory as NSString).appendingPathComponent("fetched-lists"))
        // The lists for every account (the configuration's, the built-in ones) load once; an error there is the operator's to fix.
        let shared = try ThreatIntelligence.load(threatLists: options.threatSources, trustedLists: options.trustedSources)
        let credentials = options.credentials + (options.testMode ? [.motoTest] : [])
        let exports = ExportFolders(roots: options.exportRoots, buckets: options.exportBuckets)
        let publisher = Publisher(delivery: options.delivery, exports: exports, store: store, clock: clock, logger: logger)
        self.publisher = publisher
        var settings = FindingPipeline.Settings()
        settings.intel = shared
        settings.publicSuffixes = options.publicSuffixes
        settings.detection = options.settings
        settings.geo = options.geo
        settings.listsMayChange = true
        settings.maximumAccounts = options.maximumAccounts
        settings.learnedStateInterval = options.learnedStateInterval
        settings.workers = options.workers
        settings.searchesGivenUp = options.searchesGivenUp
        settings.addedDetectors = options.addedDetectors
        let pipeline = FindingPipeline(settings: settings, store: store, clock: clock, logger: logger) { publisher.publication() }
        self.pipeline = pipeline
        if let node = options.nodeId {
            guard store is any ShardLeaseStore else { throw ClusterUnavailable(store: "\(type(of: store))") }
            // Nothing is analysed until the first balancing round gives the node its shards.
            pipeline.exclusively { pipeline.cluster = ClusterCommit(node: node, leases: []) }
        }
        let accountLists = accountLists
        pipeline.exclusively { pipeline.setOwnLists { accountLists.lists(for: $0) } }
        let loader = loader
        let reload: @Sendable () -> Void = {
            do {
                try accountLists.reload(store: store, loader: loader) { logger.warning("\($0)") }
            } catch {
                logger.error("the API's lists were not reloaded: \(error)")
            }
            pipeline.exclusively { pipeline.refreshOwnLists() }
        }
        activation = ListActivation(store: store, loader: loader, onChange: reload)
        api = GuardDutyAPI(store: store, verifier: SigV4Verifier(credentials: credentials), testMode: options.testMode, loader: loader,
                           activation: activation, onIntelChange: reload, exports: exports, now: { clock.now() })
        reload()
        let (delivery, watch, s3Watch, sqsQueues) = (options.delivery, options.watch, options.s3Watch, options.sqsQueues)
        console = Console(api: api) { administrator in
            // Webhook URLs are secrets in themselves, and paths tell about the server: administrators only.
            guard administrator else { return ["outbox": (try? store.outboxCount()) ?? 0] }
            return ["webhooks": delivery.webhooks.map(\.url), "files": delivery.files, "watch": watch + s3Watch.map(\.description) + sqsQueues,
                    "eventBridge": delivery.eventBridge.map(\.eventBusName), "sns": delivery.sns.map(\.topicArn),
                    "securityHub": delivery.securityHub.map { $0.region ?? "the finding's region" },
                    "outbox": (try? store.outboxCount()) ?? 0, "node": options.nodeId ?? ""]
        }
    }

    /// Runs until a graceful shutdown (SIGTERM, SIGINT) or cancellation; `onListening` receives the bound port.
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let front = HTTPFront(server: self, limits: options.limits)
        let responder = CallbackResponder<VigilRequestContext> { request, context in
            await front.respond(request, remote: context.remoteAddress?.ipAddress ?? "unknown")
        }
        let perAddress = KeyedLimit(limit: options.limits.connectionsPerAddress)
        var http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [ConnectionLimiter(limit: perAddress)],
                                               idleTimeout: .seconds(options.limits.idleTimeoutSeconds))
        http1.httpDecoder = .init(maxHeaderFieldSize: 16 << 10, maxHeaderListSize: 64 << 10, maxHeaderFieldCount: 200)
        var builder: HTTPServerBuilder = .http1(configuration: http1)
        if let tls = options.tls { builder = try .tls(.http1(configuration: http1), tlsConfiguration: try tls.configuration()) }
        var httpLogger = logger
        httpLogger.logLevel = .warning
        let app = Application(
            responder: responder,
            server: builder,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "vigil",
                                 availableConnectionsDelegate: .maximum(options.limits.maximumConnections, logger: httpLogger)),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: httpLogger)
        activation.start()
        if let geo = options.geo {
            // The geolocation databases open in the background: the first finding need not wait for them.
            Thread.detachNewThread { geo.open() }
        }
        defer { front.workers.shutdownGracefully { _ in } }
        var services: [any ServiceLifecycle.Service] = []
        if let node = options.nodeId, let leases = store as? any ShardLeaseStore {
            // First, so it stops last: the other services' last commits are made under its leases.
            try leases.joinCluster(node: node)
            services.append(ClusterNodeService(node: node, store: leases, pipeline: pipeline, workers: front.workers, logger: logger))
        }
        services += [
            LearnedStateService(pipeline: pipeline, interval: options.learnedStateInterval, logger: logger),
            RetentionService(store: store, days: options.retentionDays, clock: clock, logger: logger),
            DeliveryService(publisher: publisher, logger: logger),
        ]
        if !options.watch.isEmpty {
            services.append(FolderWatcher(folders: options.watch, pollInterval: options.pollInterval, pipeline: pipeline, store: store,
                                          workers: front.workers, clock: clock, logger: logger))
        }
        let awsCredentials = CredentialChain()
        let awsRegion = AWSRegion.resolve()
        if !options.sqsQueues.isEmpty {
            services.append(SQSWatcher(queues: options.sqsQueues, buckets: options.sqsBuckets, visibility: options.sqsVisibility, wait: options.sqsWait,
                                       credentials: awsCredentials, region: awsRegion, s3: S3Client(credentials: awsCredentials, region: awsRegion),
                                       downloads: options.s3Downloads, pipeline: pipeline, store: store, workers: front.workers, logger: logger))
        }
        if !options.s3Watch.isEmpty {
            let client = S3Client(credentials: awsCredentials, region: awsRegion)
            services.append(S3Watcher(locations: options.s3Watch, pollInterval: options.s3PollInterval, since: options.s3Since, client: client,
                                      downloads: options.s3Downloads, pipeline: pipeline, store: store, workers: front.workers, clock: clock,
                                      logger: logger))
        }
        services.append(app)
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
