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
/// Long-lived: windows, counters and baselines span every file and body read through it, so a
/// brute force spread over several files is still seen. Without a store (a one-off scan) there is
/// nothing to suppress against or commit to, and ``findings()`` hands the enriched findings back.
///
/// One reader at a time: ``withScan(_:)`` holds the analysis for its caller.
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
        /// The most accounts analysed at once; records of further accounts are refused and reported.
        public var maximumAccounts = 10_000
        /// Seconds between saves of the learned state to the store.
        public var learnedStateInterval: Double = 60

        public init() {}
    }

    private let scan: LogScan
    private let settings: Settings
    private let store: (any Store)?
    private let clock: WallClock
    private let logger: Logger
    private let publication: @Sendable () -> Publication?
    private let lock = NSLock()
    private var lastSaved: Date
    private let issues: IssueSink
    private var metrics = PipelineMetrics()

    /// - Parameters:
    ///   - store: where findings are committed and learned state is read back from (`nil`: a
    ///     one-off scan keeping its findings in memory).
    ///   - publication: how committed findings are published (``Publication``), asked at each commit.
    ///   - onIssue: where reading problems go when no ``issueCollector`` is set (default: the log).
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
        scan = LogScan(intel: settings.intel, publicSuffixes: settings.publicSuffixes, settings: settings.detection, geo: settings.geo,
                       window: settings.window, listsMayChange: settings.listsMayChange, maximumAccounts: settings.maximumAccounts) {
            issues.report($0)
        }
        if let store {
            scan.router.onNewAnalysis = { analysis in Self.restore(analysis, from: store, logger: logger) }
        }
    }

    /// Where reading problems go while set (an ingest request's answer); set only while holding the scan.
    public var issueCollector: ((LogIssue) -> Void)? {
        get { issues.collector }
        set { issues.collector = newValue }
    }

    /// Runs `body` with the analysis, holding it for the duration.
    public func withScan<R>(_ body: (LogScan) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(scan)
    }

    /// The findings raised or updated since the last commit, enriched, then suppressed and committed
    /// with `analysed` and `usage` (and the learned state when it is due) in one transaction. Call
    /// while holding the scan. Returns the findings committed.
    @discardableResult
    public func commit(analysed: [AnalysedFile], usage: [UsageRecord]) throws -> [Finding] {
        try commit(analysed: analysed, usage: usage, forceLearnedState: false)
    }

    /// Saves the learned state of the accounts that changed when it is due (or now, with `force`:
    /// a graceful shutdown), with whatever findings are pending. Call while holding the scan.
    public func saveLearnedState(force: Bool) throws {
        try commit(analysed: [], usage: [], forceLearnedState: force)
    }

    private func commit(analysed: [AnalysedFile], usage: [UsageRecord], forceLearnedState: Bool) throws -> [Finding] {
        let findings = enriched(scan.router.drain())
        metrics.record(statistics: scan.statistics, findings: findings, now: clock.now())
        guard let store else { return findings }
        let learned = learnedStateDue(force: forceLearnedState)
        guard !findings.isEmpty || !analysed.isEmpty || !usage.isEmpty || !learned.isEmpty else { return findings }
        // Suppression rules archive matching findings as they arrive, and archived findings are not published.
        let suppressed = try Suppression.matching(findings, store: store)
        try store.commit(findings, analysed: analysed, usage: usage, archive: suppressed, publication: findings.isEmpty ? nil : publication(),
                         learned: learned)
        return findings
    }

    /// Every finding of the analysis so far, enriched (a one-off scan's result).
    public func findings() -> [Finding] {
        withScan { enriched($0.findings) }
    }

    /// Findings with what the geolocation databases know of their remote addresses.
    func enriched(_ findings: [Finding]) -> [Finding] {
        guard let geo = settings.geo else { return findings }
        var findings = findings
        for i in findings.indices { geo.enrich(&findings[i]) }
        return findings
    }

    /// The learned state of every account that analysed records since the last save, by
    /// `<account>/<detector>`, when ``Settings/learnedStateInterval`` has passed since that save;
    /// else nothing (with `force`: now). Committed with the checkpoints, so a restart resumes learning where the last
    /// save left it.
    func learnedStateDue(force: Bool) -> [String: Data] {
        let now = clock.now()
        guard force || now.timeIntervalSince(lastSaved) >= settings.learnedStateInterval else { return [:] }
        lastSaved = now
        var states: [String: Data] = [:]
        for analysis in scan.router.accounts where analysis.takeChanged() {
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
