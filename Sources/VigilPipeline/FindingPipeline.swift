import Foundation
import Logging
import VigilDetection
import VigilGeo
import VigilIntel
import VigilLogs
import VigilModel
import VigilStore

/// The one findings pipeline `vigil scan`, `vigil serve` and `/ingest` share: records → detectors
/// (each account through its own, ``AccountRouter``) → aggregation → enrichment (what the
/// geolocation databases know of remote addresses) → suppression (the ``Suppression`` rules of each
/// finding's detector) → commit with the analysed files' checkpoints, usage, the outbox and the
/// learned state, in one transaction.
///
/// On every core: accounts are split among ``Settings/workers`` partitions — each new account to the
/// partition holding the fewest, then always there, since all its detector state lives there —
/// each partition a reader and a router of its own on a thread of its own. An input lying under an account's S3 prefix is read by that
/// account's partition while the others read theirs; any other input (a loose file, an ingested
/// body, whose records may belong to any account) is read with every partition paused, each record
/// handed to its account's partition. Each account's records thus reach one analysis in the order
/// they were given, and the findings are the same whatever the number of workers.
///
/// Long-lived: windows, counters and baselines span every input read through it, so a brute force
/// spread over several files is still seen. Without a store (a one-off scan) there is nothing to
/// suppress against or commit to, and ``commit(analysed:usage:)`` hands the enriched findings back.
///
/// One caller at a time: ``exclusively(_:)`` holds the pipeline for its caller; every other
/// method must be called inside it.
public final class FindingPipeline: @unchecked Sendable {
    /// What the pipeline needs of a store.
    public typealias Store = AnalysisStore & LearnedStateStore & FilterStore & MembershipStore & FindingQueryStore

    public struct Settings: Sendable {
        /// Threat and trusted lists for every account (the configuration's and the built-in ones).
        public var intel: ThreatIntelligence = .empty
        public var publicSuffixes: PublicSuffixList?
        public var detection = DetectionSettings()
        /// Locates addresses for the baselines and enriches findings.
        public var geo: IPEnricher?
        /// Event-time bounds; records outside are counted and skipped.
        public var window: ClosedRange<Timestamp>?
        /// Accounts' own lists may be added while records are analysed (`vigil serve`).
        public var listsMayChange = false
        /// The most accounts analysed at once (over all partitions); records of further accounts
        /// are refused and reported.
        public var maximumAccounts = 10_000
        /// Seconds between saves of the learned state to the store.
        public var learnedStateInterval: Double = 60
        /// Partitions, each on a thread of its own (default: one per core).
        public var workers = ProcessInfo.processInfo.activeProcessorCount
        /// Detectors every account gets beside the built-in ones (custom rules), made fresh for each.
        public var addedDetectors: @Sendable () -> [any Detector] = { [] }
        /// How many searches of each added detector gave up at a limit so far (a Sigma rule's
        /// regular expressions, which then count as no match), by detector name; read at each
        /// commit into `/metrics` and a warning naming the rule.
        public var searchesGivenUp: @Sendable () -> [String: Int] = { [:] }

        public init() {}
    }

    private let partitions: [LogScan]
    /// Reads inputs whose records may belong to any account, into ``dispatcher``.
    private let sequentialReader: LogReader
    private let dispatcher: AccountDispatcher
    private let placement: AccountPlacement
    /// Reads inputs a second time for the records of accounts other than their prefix's.
    private let strayReader: LogReader
    private let settings: Settings
    private let store: (any Store)?
    private let clock: WallClock
    private let logger: Logger
    private let publication: @Sendable () -> Publication?
    private let lock = NSLock()
    private var lastSaved: Date
    private let issues: IssueSink
    private var metrics = PipelineMetrics()
    private let budget: AccountBudget
    /// Handovers written, and handovers analysed, with the next commit.
    private var pendingHandOver: [Handover] = []
    private var pendingConsumed: [(id: Int64, shard: Int)] = []

    /// - Parameters:
    ///   - store: where findings are committed and learned state is read back from (`nil`: a
    ///     one-off scan keeping its findings in memory).
    ///   - publication: how committed findings are published (``Publication``), asked at each commit.
    ///   - onIssue: where reading problems go when no ``issueCollector`` is set (default: the log);
    ///     called from the partitions' threads one at a time.
    public init(settings: Settings, store: (any Store)?, clock: WallClock = .system, logger: Logger = Logger(label: "vigil.pipeline"),
                publication: @escaping @Sendable () -> Publication? = { nil }, onIssue: ((LogIssue) -> Void)? = nil) {
        self.settings = settings
        self.store = store
        self.clock = clock
        self.logger = logger
        self.publication = publication
        lastSaved = clock.now()
        let issues = IssueSink(logger: logger, fallback: onIssue)
        self.issues = issues
        let budget = AccountBudget(limit: settings.maximumAccounts)
        self.budget = budget
        partitions = (0..<max(1, settings.workers)).map { _ in
            let scan = LogScan(intel: settings.intel, publicSuffixes: settings.publicSuffixes, settings: settings.detection, geo: settings.geo,
                               addedDetectors: settings.addedDetectors,
                               window: settings.window, listsMayChange: settings.listsMayChange, maximumAccounts: settings.maximumAccounts,
                               onIssue: { issues.report($0) })
            scan.router.reserveAccount = { budget.reserve() }
            if let store {
                scan.router.onNewAnalysis = { analysis in Self.restore(analysis, from: store, logger: logger) }
            }
            return scan
        }
        sequentialReader = LogReader(window: settings.window) { issues.report($0) }
        // Its problems were reported, and its records counted, by the first reading.
        strayReader = LogReader(window: settings.window)
        placement = AccountPlacement(partitions: partitions.count)
        dispatcher = AccountDispatcher(routers: partitions.map(\.router), placement: placement)
    }

    /// Runs `body` holding the pipeline (one caller at a time: a watcher's round, an ingested body).
    public func exclusively<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: Reading

    /// Reads `inputs` — consecutive partitionable inputs on every partition at once, the others
    /// with every partition paused — and returns what each input added to the figures (its records,
    /// bytes and bad records by source).
    @discardableResult
    public func read(_ inputs: [LogInput]) -> [ReadStatistics] {
        var added = [ReadStatistics](repeating: ReadStatistics(), count: inputs.count)
        var strays = [UInt64](repeating: 0, count: inputs.count)
        let count = partitions.count
        // Each input's account from its path, once; on a cluster node, only when the node holds
        // its shard (an input of another shard's prefix is read as any account's, and handed over).
        let owned = dispatcher.owned
        let accounts = inputs.map { input in input.prefixAccount.flatMap { owned?.contains(account: $0) ?? true ? $0 : nil } }
        added.withUnsafeMutableBufferPointer { added in
            strays.withUnsafeMutableBufferPointer { strays in
                var start = 0
                while start < inputs.count {
                    guard accounts[start] != nil else {
                        // Any account's records: one reader, each record to its account's partition.
                        dispatcher.startInput(only: inputs[start].shard)
                        // (A handed-over input's records and problems were counted by the node that read it first.)
                        added[start] = count > 1 || owned != nil || inputs[start].shard != nil
                            ? Self.read(inputs[start], reader: inputs[start].shard == nil ? sequentialReader : strayReader, into: dispatcher)
                            : Self.read(inputs[start], reader: partitions[0].reader, into: partitions[0].router)
                        handOver(inputs[start], dispatcher.handedOver)
                        start += 1
                        continue
                    }
                    var end = start
                    var queues = [[Int]](repeating: [], count: count)
                    while end < inputs.count, let account = accounts[end] {
                        queues[placement.partition(of: account)].append(end)
                        end += 1
                    }
                    let work = PartitionWork(partitions: partitions, inputs: inputs, accounts: accounts, queues: queues,
                                             results: added, strays: strays)
                    if count == 1 { work.run(partition: 0) } else { DispatchQueue.concurrentPerform(iterations: count) { work.run(partition: $0) } }
                    // Other accounts' records in these inputs, in input order, each on its own
                    // account's partition (the same with one worker as with many).
                    for index in start..<end where strays[index] > 0 {
                        dispatcher.startInput()
                        _ = Self.read(inputs[index], reader: strayReader,
                                      into: StrayRecordDispatcher(excluding: accounts[index]!, dispatcher: dispatcher))
                        handOver(inputs[index], dispatcher.handedOver)
                    }
                    start = end
                }
            }
        }
        return added
    }

    /// One parallel round: each partition reads its queue of inputs on its own thread — only the
    /// records of each input's prefix account — writing what each added into its own slot of
    /// `results`, and how many other accounts' records it held into `strays`. Partitions share
    /// nothing they change.
    private struct PartitionWork: @unchecked Sendable {
        let partitions: [LogScan]
        let inputs: [LogInput]
        let accounts: [AccountID?]
        let queues: [[Int]]
        let results: UnsafeMutableBufferPointer<ReadStatistics>
        let strays: UnsafeMutableBufferPointer<UInt64>

        func run(partition p: Int) {
            for index in queues[p] {
                let filter = PrefixAccountFilter(account: accounts[index]!, router: partitions[p].router)
                results[index] = FindingPipeline.read(inputs[index], reader: partitions[p].reader, into: filter)
                strays[index] = filter.strays
            }
        }
    }

    /// Reads one input with `reader` into `handler`; returns what it added to the reader's figures.
    fileprivate static func read(_ input: LogInput, reader: LogReader, into handler: some LogRecordHandler) -> ReadStatistics {
        let before = reader.statistics
        if let bytes = input.bytes {
            bytes.withUnsafeBytes { _ = reader.read(bytes: $0, path: input.path, kind: input.kind, into: handler) }
        } else {
            reader.read(path: input.path, into: handler)
        }
        return reader.statistics.subtracting(before)
    }

    /// Everything read so far, over every partition.
    public var statistics: ReadStatistics {
        var total = sequentialReader.statistics
        for scan in partitions { total += scan.reader.statistics }
        return total
    }

    // MARK: Cluster

    /// On a node of a cluster: the node and the leases it holds. Records of the accounts of other
    /// shards are then not analysed here but handed over (written with the next commit for their
    /// shard's holder), and every commit is fenced by these leases. Set by the node's lease
    /// service, inside ``exclusively(_:)``, with ``forget(keeping:)`` for shards it lost.
    public var cluster: ClusterCommit? {
        didSet { dispatcher.owned = cluster.map { ShardSet($0.leases.map(\.shard)) } }
    }

    /// The shards this node analyses (`nil`: all, not a cluster node).
    public var ownedShards: ShardSet? { dispatcher.owned }

    /// Notes `input`'s records of the `shards` this node does not hold, for the next commit.
    private func handOver(_ input: LogInput, _ shards: ShardSet) {
        for shard in shards.shards {
            if let handover = input.handover(to: shard) { pendingHandOver.append(handover) } else {
                logger.error("\(input.path): its records of shard \(shard) could not be handed over: the file is gone")
            }
        }
    }

    /// Whether this node reads the input named `path` itself (always, outside a cluster): an input
    /// under an account's S3 prefix when the node holds the account's shard, any other input when
    /// it holds the shard of its name. Watchers of places every node sees (folders, S3 listings)
    /// leave the others to their holders.
    public func holds(inputNamed path: String) -> Bool {
        guard let owned = dispatcher.owned else { return true }
        if let account = S3LogPath(path: path)?.account { return owned.contains(account: account) }
        return owned.contains(ShardSet.shard(ofPath: path))
    }

    /// Reads records other nodes handed to this node's shards (each analysing only its shard's
    /// accounts); the next commit deletes them, so they are analysed once.
    public func read(handovers: [Handover]) {
        guard !handovers.isEmpty else { return }
        read(handovers.map(LogInput.init))
        pendingConsumed += handovers.map { ($0.id, $0.shard) }
    }

    /// Forgets the analyses of every account outside `kept` (`nil`: of every account) — a shard
    /// lost, a commit refused — so that what the node analyses next starts from what the store
    /// holds, as after a restart. Handovers analysed into forgotten accounts are no longer deleted
    /// by the next commit (their shard's holder analyses them); with `nil`, the handovers this
    /// node was to write are dropped too (the inputs they came from are read again).
    public func forget(keeping kept: ShardSet?) {
        for scan in partitions {
            let forgotten = scan.router.forget { account in kept.map { !$0.contains(account: account) } ?? true }
            budget.release(forgotten)
        }
        // Handovers analysed into accounts now forgotten stay for their shard's holder.
        pendingConsumed.removeAll { consumed in kept.map { !$0.contains(consumed.shard) } ?? true }
        if kept == nil { pendingHandOver = [] }
    }

    /// CloudTrail events dropped as already analysed (the same `eventID`).
    public var duplicateEvents: UInt64 { partitions.reduce(0) { $0 + $1.router.duplicateEvents } }
    /// Records refused (another account's, or beyond the accounts the pipeline holds).
    public var refusedRecords: UInt64 { partitions.reduce(0) { $0 + $1.router.refusedRecords } }
    /// Records from or to trusted addresses, not analysed.
    public var trustedRecords: UInt64 { partitions.reduce(0) { $0 + $1.router.trustedRecords } }
    /// Observations of new findings dropped because an account's findings table was full.
    public var overflowObservations: UInt64 { partitions.reduce(0) { $0 + $1.router.overflowObservations } }

    /// When set, only records of the accounts it admits are analysed; the others are refused and
    /// reported (HTTP ingest: the caller's own account and its members').
    public var admits: ((AccountID) -> Bool)? {
        get { partitions[0].router.admits }
        set { for scan in partitions { scan.router.admits = newValue } }
    }

    /// Where reading problems go while set (an ingest request's answer).
    public var issueCollector: ((LogIssue) -> Void)? {
        get { issues.collector }
        set { issues.collector = newValue }
    }

    /// Each account's own lists by region (registered through the API): asked when an account's
    /// analysis is made, and again by ``refreshOwnLists()``.
    public func setOwnLists(_ lists: @escaping (AccountID) -> [String: ThreatIntelligence]) {
        for scan in partitions { scan.router.ownLists = lists }
    }

    /// Asks for every held account's own lists again (after lists or memberships changed).
    public func refreshOwnLists() {
        for scan in partitions { scan.router.refreshOwnLists() }
    }

    // MARK: Committing

    /// The findings raised or updated since the last commit, enriched, then suppressed and committed
    /// with `analysed` and `usage` (and the learned state when it is due) in one transaction.
    /// Returns the findings committed (or, without a store, found).
    @discardableResult
    public func commit(analysed: [AnalysedFile], usage: [UsageRecord]) throws -> [Finding] {
        try commit(analysed: analysed, usage: usage, forceLearnedState: false)
    }

    /// Saves the learned state of the accounts that changed when it is due (or now, with `force`:
    /// a graceful shutdown), with whatever findings are pending.
    public func saveLearnedState(force: Bool) throws {
        _ = try commit(analysed: [], usage: [], forceLearnedState: force)
    }

    private func commit(analysed: [AnalysedFile], usage: [UsageRecord], forceLearnedState: Bool) throws -> [Finding] {
        var findings = drainedAndEnriched()
        metrics.record(statistics: statistics, findings: findings, now: clock.now())
        for (detector, added, total) in metrics.record(searchesGivenUp: settings.searchesGivenUp()) {
            logger.warning("\(detector): \(added) regular-expression searches stopped at their backtracking limit and counted as no match (\(total) since start)")
        }
        guard let store else { return findings }
        findings += try sequenceReferences(store)
        let learned = learnedStateDue(force: forceLearnedState)
        var fence = cluster
        fence?.handOver = pendingHandOver
        fence?.consumed = pendingConsumed.map(\.id)
        guard !findings.isEmpty || !analysed.isEmpty || !usage.isEmpty || !learned.isEmpty || !pendingHandOver.isEmpty || !pendingConsumed.isEmpty
        else { return findings }
        do {
            // Suppression rules archive matching findings as they arrive, and archived findings are not published.
            let suppressed = try Suppression.matching(findings, store: store)
            try store.commit(findings, analysed: analysed, usage: usage, archive: suppressed, publication: findings.isEmpty ? nil : publication(),
                             learned: learned, cluster: fence)
        } catch {
            // Nothing of it was written: the inputs are read again from their checkpoints, so what
            // the analyses took from them is forgotten — as a restart would.
            forget(keeping: nil)
            throw error
        }
        pendingHandOver = []
        pendingConsumed = []
        return findings
    }

    /// Stored findings that became signals of an attack sequence since the last commit, naming it:
    /// each a copy of what is stored with ``Finding/associatedAttackSequenceArn`` set and no
    /// sighting of its own (count 0), so the store's merge keeps everything else as it was.
    private func sequenceReferences(_ store: any Store) throws -> [Finding] {
        let associations = partitions.flatMap { $0.router.takeSequenceAssociations() }
        guard !associations.isEmpty else { return [] }
        var references: [Finding] = []
        for (account, group) in Dictionary(grouping: associations, by: \.accountId) {
            let arns = Dictionary(group.map { ($0.findingId, $0.sequenceArn) }, uniquingKeysWith: { $1 })
            for var stored in try store.findings(ids: Array(arns.keys), accountId: account) {
                stored.associatedAttackSequenceArn = arns[stored.id]
                stored.service?.count = 0
                references.append(stored)
            }
        }
        return references
    }

    /// Every partition's pending findings, in ``Finding/ordered(_:)`` order, with what the
    /// geolocation databases know of their remote addresses — each partition making and enriching
    /// its own on its own thread (with many findings this is a quarter of a scan's work, which
    /// would otherwise run on one core).
    func drainedAndEnriched() -> [Finding] {
        let geo = settings.geo
        let drain = { @Sendable (scan: LogScan) -> [Finding] in
            var findings = scan.router.drain()
            if let geo { for i in findings.indices { geo.enrich(&findings[i]) } }
            return findings
        }
        guard partitions.count > 1 else { return drain(partitions[0]) }
        let drained = PartitionSlots<[Finding]>(count: partitions.count, initial: [])
        DispatchQueue.concurrentPerform(iterations: partitions.count) { drained[$0] = drain(partitions[$0]) }
        return Finding.ordered(drained.values.flatMap { $0 })
    }

    // MARK: Learned state

    /// The learned state of every account that analysed records since the last save, by
    /// `<account>/<detector>`, when ``Settings/learnedStateInterval`` has passed since that save;
    /// else nothing (with `force`: now). Committed with the checkpoints, so a restart resumes
    /// learning where the last save left it.
    func learnedStateDue(force: Bool) -> [String: Data] {
        let now = clock.now()
        guard force || now.timeIntervalSince(lastSaved) >= settings.learnedStateInterval else { return [:] }
        lastSaved = now
        var states: [String: Data] = [:]
        for analysis in partitions.flatMap(\.router.accounts) where analysis.takeChanged() {
            for detector in analysis.learningDetectors {
                do {
                    states["\(analysis.account)/\(detector.name)"] = try detector.saveState()
                } catch {
                    logger.error("cannot save the learned state of \(detector.name) for account \(analysis.account): \(error)")
                }
            }
        }
        return states
    }

    /// Reads an account's learned state back when its first record arrives.
    static func restore(_ analysis: AccountAnalysis, from store: any LearnedStateStore, logger: Logger) {
        let states: [String: Data]
        do { states = try store.learnedStates(accountId: analysis.account.description) } catch {
            logger.error("cannot read the learned state of account \(analysis.account): \(error); learning starts again")
            return
        }
        for detector in analysis.learningDetectors {
            guard let state = states[detector.name] else { continue }
            do { try detector.restoreState(state) } catch {
                logger.warning("account \(analysis.account): \(error); learning starts again")
            }
        }
    }
}
