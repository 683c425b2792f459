import Foundation
import VigilIntel
import VigilLogs
import VigilModel

/// Keeps accounts apart: hands each record to the analysis of the account it belongs to (one
/// ``AccountAnalysis`` per account, made when the account's first record arrives), with that
/// account's lists in force. One account's records never reach another account's detectors, so
/// no tenant's activity can change, hide or reveal another's findings.
///
/// Bounded: at most ``maximumAccounts`` analyses; records of further accounts are refused and
/// reported, never analysed at the expense of the accounts already held. With ``admits`` set,
/// only records of the accounts it admits are analysed (HTTP ingest: the caller's own account and
/// its members'); the others are refused, each reported with its file and location. Not
/// thread-safe: a router runs on one thread.
public final class AccountRouter: LogRecordHandler {
    /// Which detectors analyse which records.
    public enum Detectors {
        /// Every account gets its own detectors, made by the closure (given the account and the
        /// scope through which they must consult lists).
        case perAccount((AccountID, IntelScope) -> [any Detector])
        /// One set of detectors for every record, whatever its account (tests, benchmarks of one
        /// detector, model evaluation).
        case shared([any Detector])
    }

    public let sharedLists: ThreatIntelligence
    public let maximumAccounts: Int
    /// When set, only records of accounts it admits are analysed.
    public var admits: ((AccountID) -> Bool)? {
        didSet { last = nil }
    }
    /// Receives every refused record (another account's, or beyond ``maximumAccounts``).
    public var onRefused: ((LogIssue) -> Void)?
    /// The account's own lists by region (registered through the API); asked when an account's
    /// analysis is made and by ``refreshOwnLists()``.
    public var ownLists: ((AccountID) -> [String: ThreatIntelligence])?
    /// Called with each new analysis before its first record (to restore learned state).
    public var onNewAnalysis: ((AccountAnalysis) -> Void)?
    /// When set, asked before a new account's analysis is made: routers sharing one bound on
    /// accounts (the partitions of one pipeline) reserve each new account from it; `false` refuses
    /// the account as ``maximumAccounts`` would.
    public var reserveAccount: (() -> Bool)?
    /// Records refused.
    public private(set) var refusedRecords: UInt64 = 0

    private let detectors: Detectors
    private let listsMayChange: Bool
    private var analyses: [AccountID: AccountAnalysis] = [:]
    private var shared: AccountAnalysis?
    private var lastAccount = AccountID.unknown
    private var last: AccountAnalysis? {
        didSet { lastRun = last.map { Unmanaged.passUnretained($0) } }
    }
    /// ``last``, unretained, for the per-record path.
    private var lastRun: Unmanaged<AccountAnalysis>?

    /// - Parameters:
    ///   - listsMayChange: the accounts' own lists may come and go while records are analysed, so
    ///     every check of lists is kept even while none is loaded.
    public init(detectors: Detectors, sharedLists: ThreatIntelligence = .empty, maximumAccounts: Int = 10_000, listsMayChange: Bool = false) {
        self.detectors = detectors
        self.sharedLists = sharedLists
        self.maximumAccounts = maximumAccounts
        self.listsMayChange = listsMayChange
    }

    /// The analyses made so far, by account.
    public var accounts: [AccountAnalysis] {
        if let shared { return [shared] }
        return analyses.values.sorted { $0.account < $1.account }
    }

    /// The analysis of `account`, made if needed; `nil` (the record refused and reported) when the
    /// account is not admitted or no more accounts fit.
    @inline(__always)
    private func analysis(_ account: AccountID, _ source: LogSource, _ location: RecordLocation) -> AccountAnalysis? {
        if let last, account == lastAccount { return last }
        if let admits, !admits(account) {
            refuse(source, location, "the record belongs to account \(account), which this caller may not send logs for")
            return nil
        }
        let found: AccountAnalysis
        if case .shared(let list) = detectors {
            if shared == nil { shared = make(.unknown, list) }
            found = shared!
        } else if let existing = analyses[account] {
            found = existing
        } else {
            guard analyses.count < maximumAccounts, reserveAccount?() ?? true else {
                refuse(source, location, "the record belongs to account \(account), beyond the \(maximumAccounts) accounts one analysis holds")
                return nil
            }
            guard case .perAccount(let factory) = detectors else { return nil }
            let scope = IntelScope(shared: sharedLists)
            let made = make(account, factory(account, scope), scope: scope)
            analyses[account] = made
            found = made
        }
        lastAccount = account
        last = found
        return found
    }

    private func make(_ account: AccountID, _ list: [any Detector], scope: IntelScope? = nil) -> AccountAnalysis {
        let made = AccountAnalysis(account: account, detectors: list, intel: scope ?? IntelScope(shared: sharedLists), listsMayChange: listsMayChange)
        if let lists = ownLists?(account), !lists.isEmpty { made.setOwnLists(lists) }
        onNewAnalysis?(made)
        return made
    }

    private func refuse(_ source: LogSource, _ location: RecordLocation, _ message: String) {
        refusedRecords += 1
        onRefused?(LogIssue(path: source.path, location: location, message: message))
    }

    public func handle<Record: LogRecord>(_ record: inout Record, source: LogSource) {
        handle(&record, source: source, account: record.account(in: source))
    }

    /// As ``handle(_:source:)``, for a caller that already read the record's account.
    public func handle<Record: LogRecord>(_ record: inout Record, source: LogSource, account: AccountID) {
        if account != lastAccount || lastRun == nil {
            guard analysis(account, source, record.location) != nil else { return }
        }
        // The analysis is reached without retaining it: ``last`` holds it.
        lastRun.unsafelyUnwrapped._withUnsafeGuaranteedRef { analysis in
            analysis.touch()
            if analysis.hasOwnLists { analysis.selectLists(region: record.region(in: source)) }
            analysis.engine.handle(&record, source: source)
        }
    }

    /// Asks ``ownLists`` again for every account held (after lists or memberships changed).
    /// Forgets the analyses of the accounts `forgotten` selects — their windows, counters, learned
    /// state and findings not yet drained — as if their records had never arrived (a cluster node
    /// losing their shard, a commit that failed); returns how many were forgotten.
    @discardableResult
    public func forget(where forgotten: (AccountID) -> Bool) -> Int {
        let before = analyses.count
        analyses = analyses.filter { !forgotten($0.key) }
        last = nil
        return before - analyses.count
    }

    public func refreshOwnLists() {
        for analysis in accounts { analysis.setOwnLists(ownLists?(analysis.account) ?? [:]) }
    }

    /// Every account's findings so far, most severe first (then by type and ID).
    public var findings: [Finding] {
        // A snapshot: sequences correlated afresh over everything held, leaving the live state alone.
        Finding.ordered(accounts.flatMap { AttackSequenceCorrelator().correlate($0.aggregator.findings) })
    }

    /// Every account's findings so far, forgotten by their aggregators (see ``FindingAggregator/drain()``).
    public func drain() -> [Finding] {
        var all: [Finding] = []
        for account in accounts { account.drain(into: &all) }
        return Finding.ordered(all)
    }

    /// Findings of earlier drains that joined an attack sequence since the last call, across accounts.
    public func takeSequenceAssociations() -> [SequenceAssociation] {
        accounts.flatMap { $0.sequences.takeAssociations() }
    }


    /// CloudTrail events dropped as repeats, across accounts.
    public var duplicateEvents: UInt64 { accounts.reduce(0) { $0 + $1.engine.duplicateEvents } }
    /// Records not analysed because an address in them is trusted, across accounts.
    public var trustedRecords: UInt64 { accounts.reduce(0) { $0 + $1.engine.trustedRecords } }
    /// Observations dropped because an account's findings table was full.
    public var overflowObservations: UInt64 { accounts.reduce(0) { $0 + $1.aggregator.overflowObservations } }
}
