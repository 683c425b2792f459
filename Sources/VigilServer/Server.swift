import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOPosix
import VigilAPI
import VigilDetection
import VigilGeo
import VigilIntel
import VigilLogs
import VigilModel
import VigilStore

/// `vigil serve`: the GuardDuty-compatible API over HTTP, and the watcher that analyses log files
/// as they arrive in the watched folders, both over one durable ``FindingStore``.
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
        /// Threat and trusted lists from the configuration (and Vigil's built-in ones); the lists
        /// registered through the API (IPSets, threat-intel sets) are added to them.
        public var threatSources: [ThreatListSource] = []
        public var trustedSources: [ThreatListSource] = []
        public var publicSuffixes: PublicSuffixList?
        public var settings = DetectionSettings()
        /// Locates addresses for the baselines (networks, countries, travel).
        public var geo: IPEnricher?
        /// Seconds between saves of the learned state (profiles, traffic models) to the store.
        public var learnedStateInterval: Double = 60
        public var delivery = EventDelivery()
        /// The most accounts analysed at once; records of further accounts are refused and reported.
        public var maximumAccounts = 10_000
        /// Folders publishing destinations may write under (each account in its own prefix).
        public var exportRoots: [String]
        /// Limits on connections and requests.
        public var limits = HTTPLimits()
        /// Serve HTTPS with this certificate and key.
        public var tls: TLSFiles?
        /// Where the lists API callers name may be read from (by default each account's own
        /// folder under `<data-dir>/lists/`).
        public var listLocations: ListLocationPolicy
        public init(dataDirectory: String) {
            self.dataDirectory = dataDirectory
            listLocations = ListLocationPolicy(folders: [(dataDirectory as NSString).appendingPathComponent("lists/{account}")])
            exportRoots = [(dataDirectory as NSString).appendingPathComponent("exports")]
        }
    }

    public let options: Options
    public let store: SQLiteFindingStore
    public let api: GuardDutyAPI
    /// The lists registered through the API, per account.
    let accountLists = AccountLists()
    let loader: IntelSetLoader
    let activation: ListActivation
    let exports: ExportFolders
    let ingestGate = Gate()
    /// The analysis, kept from poll to poll so that windows span files.
    let pipeline: Pipeline
    /// Files whose last line had no newline at the last poll.
    let unfinished = UnfinishedLines()
    /// The web console under `/console`.
    let console: Console

    public init(options: Options) throws {
        self.options = options
        store = try SQLiteFindingStore(directory: options.dataDirectory)
        // Copies of fetched lists live outside every folder lists may be read from.
        loader = IntelSetLoader(policy: options.listLocations, cacheDirectory: (options.dataDirectory as NSString).appendingPathComponent("fetched-lists"))
        // The lists for every account (the configuration's, the built-in ones) load once; an error there is the operator's to fix.
        let shared = try ThreatIntelligence.load(threatLists: options.threatSources, trustedLists: options.trustedSources)
        let credentials = options.credentials + (options.testMode ? [.motoTest] : [])
        exports = ExportFolders(roots: options.exportRoots)
        let pipeline = Pipeline(options: options, sharedLists: shared, store: store, accountLists: accountLists)
        self.pipeline = pipeline
        let (store, loader, accountLists) = (store, loader, accountLists)
        let reload: @Sendable () -> Void = {
            do {
                try accountLists.reload(store: store, loader: loader) { FileHandle.standardError.write(Data("vigil serve: \($0)\n".utf8)) }
            } catch {
                FileHandle.standardError.write(Data("vigil serve: the API's lists were not reloaded: \(error)\n".utf8))
            }
            pipeline.withScan { $0.router.refreshOwnLists() }
        }
        activation = ListActivation(store: store, loader: loader, onChange: reload)
        api = GuardDutyAPI(store: store, verifier: SigV4Verifier(credentials: credentials), testMode: options.testMode, loader: loader,
                           activation: activation, onIntelChange: reload, exports: exports)
        reload()
        let (delivery, watch) = (options.delivery, options.watch)
        console = Console(api: api) { [store] administrator in
            // Webhook URLs are secrets in themselves, and paths tell about the server: administrators only.
            guard administrator else { return ["outbox": (try? store.outboxCount()) ?? 0] }
            return ["webhooks": delivery.webhooks.map(\.url), "files": delivery.files, "watch": watch,
                    "outbox": (try? store.outboxCount()) ?? 0]
        }
    }

    /// Runs until cancelled; `onListening` receives the bound port.
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
        var logger = Logger(label: "vigil")
        logger.logLevel = .warning
        let app = Application(
            responder: responder,
            server: builder,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "vigil",
                                 availableConnectionsDelegate: .maximum(options.limits.maximumConnections, logger: logger)),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        activation.start()
        if let geo = options.geo {
            // The geolocation databases open in the background: the first finding need not wait for them.
            Thread.detachNewThread { geo.open() }
        }
        defer { front.workers.shutdownGracefully { _ in } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            if !options.watch.isEmpty {
                group.addTask { try await self.watchLoop(workers: front.workers) }
            }
            group.addTask { try await self.retentionLoop() }
            group.addTask { try await self.deliveryLoop() }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Looks at the watched folders every `pollInterval` seconds and analyses what is new.
    func watchLoop(workers: NIOThreadPool) async throws {
        while !Task.isCancelled {
            // On a worker thread: reading and analysing files never occupies the async tasks' threads.
            _ = try await workers.runIfActive { try self.analyseNewFiles() }
            try await Task.sleep(for: .milliseconds(Int(options.pollInterval * 1000)))
        }
    }

    /// Analyses every watched file not analysed at its current size and modification time, and
    /// commits the findings with the files' checkpoints in one transaction. A gzip file or a
    /// CloudTrail `{"Records":[…]}` document is read whole whenever it changed. A line-oriented file
    /// (flow logs, Resolver logs, CloudTrail JSON lines) is read in complete lines from where the
    /// last read stopped (with the flow-log header line in front), so a line still being written is
    /// read once it is finished; a last line without a newline is read once the file has stayed
    /// unchanged for ``UnfinishedLines/patience`` seconds. Every piece is read as the kind of log
    /// its file's beginning shows. A file that shrank is read again from its start. Returns the files read.
    @discardableResult
    public func analyseNewFiles() throws -> [String] {
        let files = (try? LogFileFinder.files(under: options.watch)) ?? []
        var pending: [(file: AnalysedFile, from: Int64?, kind: LogKind?)] = []
        for path in files {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = (attributes[.size] as? NSNumber)?.int64Value,
                  let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 else { continue }
            let previous = try store.checkpoint(path: path)
            if let previous, previous.size == size, previous.modified == modified { continue }
            let file = AnalysedFile(path: path, size: size, modified: modified)
            let kind = Self.isGzip(path) ? nil : Self.kind(of: path)
            if Self.isGzip(path) || kind == .cloudTrailDocument {
                pending.append((file, nil, nil))
            } else {
                pending.append((file, previous.map { size >= $0.size ? $0.size : 0 } ?? 0, kind))
            }
        }
        guard !pending.isEmpty else { return [] }
        return try pipeline.withScan { scan in
            // Volume per account and data source: each file's share of the reader's counts, credited
            // to the account of its S3 path (or `unknown` for loose files).
            var usage: [String: UsageRecord] = [:]
            var analysed: [AnalysedFile] = []
            for (file, start, kind) in pending {
                let before = scan.statistics
                if let from = start {
                    let finished = unfinished.finished(file)
                    guard let (bytes, consumed) = Self.lines(of: file.path, from: from, to: file.size, includingUnfinished: finished) else {
                        unfinished.remember(file)
                        continue
                    }
                    // A piece of a file is read as what the file's beginning says it is, whatever its first line holds.
                    bytes.withUnsafeBytes { _ = scan.read(bytes: $0, path: file.path, kind: from > 0 ? kind : nil) }
                    // Up to the last complete line; the rest is read when the line is finished.
                    analysed.append(AnalysedFile(path: file.path, size: from + consumed, modified: from + consumed == file.size ? file.modified : 0))
                    if from + consumed < file.size { unfinished.remember(file) }
                } else {
                    scan.read(path: file.path)
                    analysed.append(file)
                }
                let after = scan.statistics
                let account = S3LogPath(path: file.path)?.accountId ?? "unknown"
                let resource = Self.logSource(file.path)
                for source in DataSource.allCases {
                    let records = Int64(after[source].records) - Int64(before[source].records)
                    let bytes = Int64(after[source].bytes) - Int64(before[source].bytes)
                    guard records > 0 || bytes > 0 else { continue }
                    let key = "\(account)/\(source.usageName)/\(resource)"
                    var u = usage[key] ?? UsageRecord(accountId: account, dataSource: source.usageName, resource: resource, records: 0, bytes: 0)
                    u.records += records
                    u.bytes += bytes
                    usage[key] = u
                }
            }
            let findings = enriched(scan.router.drain())
            // Suppression rules archive matching findings as they arrive, and archived findings are not published.
            let suppressed = try Suppression.matching(findings, store: store)
            try store.commit(findings, analysed: analysed, usage: usage.values.sorted { ($0.accountId, $0.dataSource) < ($1.accountId, $1.dataSource) },
                             archive: suppressed, publication: publication(), learned: pipeline.learnedStateDue(interval: options.learnedStateInterval))
            return analysed.map(\.path)
        }
    }

    /// The log source a file belongs to, for usage by resource: its flow log (`fl-…`, from the
    /// S3 file name), its VPC's Resolver logs, its region's CloudTrail, or its folder.
    static func logSource(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        if let layout = S3LogPath(path: path) {
            switch layout.service {
            case .vpcFlowLogs:
                if let id = name.split(separator: "_").first(where: { $0.hasPrefix("fl-") }) { return String(id) }
                return "vpcflowlogs/\(layout.region ?? "unknown")"
            case .resolverQueryLogs: return layout.vpcId ?? "vpcdnsquerylogs"
            default: return "CloudTrail/\(layout.region ?? "unknown")"
            }
        }
        return (path as NSString).deletingLastPathComponent
    }

    static func isGzip(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 2)) ?? Data()
        return magic.count == 2 && magic[magic.startIndex] == 0x1f && magic[magic.startIndex + 1] == 0x8b
    }

    /// The complete lines of a plain file between `from` and `to` (after its flow-log header line
    /// when `from` is past it), and how many of the file's bytes they take; with
    /// `includingUnfinished`, a last line without a newline too. `nil` when there is nothing to read.
    static func lines(of path: String, from: Int64, to: Int64, includingUnfinished: Bool) -> ([UInt8], Int64)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var prefix: [UInt8] = []
        if from > 0 {
            let head = (try? handle.read(upToCount: 4096)) ?? Data()
            if let newline = head.firstIndex(of: 0x0A) {
                var first = String(decoding: head[head.startIndex..<newline], as: UTF8.self)
                if first.hasPrefix("\u{FEFF}") { first.removeFirst() }
                if first.hasSuffix("\r") { first.removeLast() }
                // A flow-log header names its fields (`version account-id … srcaddr …`); JSON lines have none.
                let fields = first.split(separator: " ")
                if !first.hasPrefix("{"), fields.contains("srcaddr") || fields.first == "version" { prefix = Array(head[head.startIndex...newline]) }
            }
        }
        guard to > from, (try? handle.seek(toOffset: UInt64(from))) != nil, let added = try? handle.read(upToCount: Int(to - from)), !added.isEmpty else {
            return nil
        }
        if includingUnfinished {
            return (prefix + added + (added.last == 0x0A ? [] : [0x0A]), Int64(added.count))
        }
        guard let last = added.lastIndex(of: 0x0A) else { return nil }
        let complete = added[added.startIndex...last]
        return (prefix + complete, Int64(complete.count))
    }

    /// What a plain file is, from its first bytes (`nil` when they do not tell yet).
    static func kind(of path: String) -> LogKind? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var head = Array((try? handle.read(upToCount: 65536)) ?? Data())
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        return head.withUnsafeBytes { bytes in
            if case .success(let kind) = LogSniffer.classify(path: path, content: bytes) { return kind }
            return nil
        }
    }

    /// `POST /ingest`: a CloudTrail `{"Records":[…]}` body, flow-log lines (with their header) or
    /// Resolver JSON lines, signed like an API request. The records are analysed by the watcher's
    /// detectors (so baselines learn from them too) as a file in the caller's account would be;
    /// findings for other accounts are refused (counted in the answer), and CloudTrail events
    /// already analysed (same `eventID`) are counted as `duplicateEvents` and raise nothing again.
    /// One body is analysed at a time — concurrent senders wait their turn, which is the back-pressure.
    func ingest(_ request: SignedRequest, workers: NIOThreadPool) async -> APIResponse {
        let caller: SigV4Verifier.Caller
        do { caller = try api.verifier.verify(request) } catch { return .error(error) }
        guard request.method == "POST" else { return .error(APIError(status: 405, type: "MethodNotAllowedException", message: "Use POST to ingest logs.")) }
        guard !request.body.isEmpty else { return .error(.badRequest("The request body is empty.")) }
        return await ingestGate.run {
            do {
                return try await workers.runIfActive { try self.analyse(body: request.body, caller: caller) }
            } catch let error as APIError {
                return .error(error)
            } catch {
                return .error(.internalError("The logs could not be stored: \(error)"))
            }
        }
    }

    func analyse(body: [UInt8], caller: SigV4Verifier.Caller) throws -> APIResponse {
        let kind = body.withUnsafeBytes { LogSniffer.classify(path: "ingest", content: $0) }
        guard case .success(let logKind) = kind else {
            throw APIError.badRequest("The body is not a CloudTrail {\"Records\": […]} document, VPC Flow Logs lines or Route 53 Resolver query-log lines.")
        }
        let folder = switch logKind.dataSource {
        case .cloudTrail: "CloudTrail/\(caller.region)"
        case .flowLogs: "vpcflowlogs/\(caller.region)"
        case .dns: "vpcdnsquerylogs/ingest"
        }
        // The caller may send its own account's records, and an administrator its enabled members'.
        let admitted = Set(([caller.accountId] + (try store.memberships(administrator: caller.accountId)).filter { $0.status == "Enabled" }.map(\.member))
            .compactMap { AccountID($0) })
        var problems: [String] = []
        let path = "AWSLogs/\(caller.accountId)/\(folder)/ingest-\(UUID().uuidString.lowercased())"
        let (findings, statistics, repeated, refused) = pipeline.withScan { scan in
            let before = scan.statistics, duplicates = scan.router.duplicateEvents, refusedBefore = scan.router.refusedRecords
            pipeline.issueCollector = { issue in if problems.count < 20 { problems.append(issue.description) } }
            scan.router.admits = { admitted.contains($0) }
            defer {
                pipeline.issueCollector = nil
                scan.router.admits = nil
            }
            body.withUnsafeBytes { _ = scan.read(bytes: $0, path: path) }
            return (enriched(scan.router.drain()), scan.statistics.subtracting(before), scan.router.duplicateEvents - duplicates,
                    scan.router.refusedRecords - refusedBefore)
        }
        var usage: [UsageRecord] = []
        var records: UInt64 = 0, bad: UInt64 = 0
        for source in DataSource.allCases where statistics[source].records > 0 || statistics[source].badRecords > 0 {
            let v = statistics[source]
            records += v.records
            bad += v.badRecords
            usage.append(UsageRecord(accountId: caller.accountId, dataSource: source.usageName, resource: "ingest", records: Int64(v.records), bytes: Int64(v.bytes)))
        }
        let suppressed = try Suppression.matching(findings, store: store)
        try store.commit(findings, analysed: [], usage: usage, archive: suppressed, publication: publication(), learned: [:])
        return .json(["records": records, "badRecords": bad, "refusedRecords": refused, "duplicateEvents": repeated,
                      "findings": findings.map(\.id), "problems": problems])
    }

    /// Findings with what the geolocation databases know of their remote addresses.
    func enriched(_ findings: [Finding]) -> [Finding] {
        guard let geo = options.geo else { return findings }
        var findings = findings
        for i in findings.indices { geo.enrich(&findings[i]) }
        return findings
    }

    /// How findings are published: to the configured webhooks and files, and to the publishing
    /// destinations of each finding's detector; `nil` when there is nowhere to publish.
    func publication() -> Publication? {
        let configured = options.delivery.targets
        var byDetector: [String: [String]] = [:]
        let detectors = Dictionary(((try? store.detectorsByAccountRegion()) ?? [:]).values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for d in (try? store.destinations(detectorId: nil)) ?? [] where d.status == "PUBLISHING" {
            guard let owner = detectors[d.detectorId]?.accountId else { continue }
            if let folder = exports.folder(for: d.destinationArn, account: owner) { byDetector[d.detectorId, default: []].append("export:\(folder)") }
        }
        guard !configured.isEmpty || !byDetector.isEmpty else { return nil }
        let now = Date()
        let exports = byDetector
        return Publication(targets: { finding in
            configured + (exports[FindingAggregator.detectorId(accountId: finding.accountId, region: finding.region)] ?? [])
        }, now: now) { EventDelivery.envelope($0, now: now) }
    }

    /// Publishes updated findings when their detector's interval has passed, and works the outbox:
    /// every due item is attempted, failures wait their back-off.
    func deliveryLoop() async throws {
        let delivery = options.delivery
        while !Task.isCancelled {
            if let publication = publication() {
                let detectors = try store.detectorsByAccountRegion()
                try store.enqueueDueUpdates(publication) { account, region in
                    switch detectors["\(account)/\(region)"]?.findingPublishingFrequency {
                    case "FIFTEEN_MINUTES": 900
                    case "ONE_HOUR": 3600
                    default: 21_600
                    }
                }
            }
            for item in try store.dueDeliveries(now: Date(), limit: 200) {
                if await delivery.deliver(item) {
                    try store.delivered(item.id)
                } else {
                    try store.deliveryFailed(item.id, nextAttempt: Date().addingTimeInterval(delivery.backoff(attempts: item.attempts)))
                }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Deletes findings not raised or updated within the retention period (wall-clock), hourly.
    func retentionLoop() async throws {
        while !Task.isCancelled {
            try store.deleteFindings(storedBefore: Date().addingTimeInterval(-Double(options.retentionDays) * 86_400))
            try await Task.sleep(for: .seconds(3600))
        }
    }
}

