import Foundation
import VigilDetection
import VigilIntel
import VigilLogs
import VigilModel
import VigilStore

/// The long-lived analysis: one ``LogScan`` for every poll and every ingested body, so a scan or a
/// brute force spread over several files (or several appends to one) is still seen and the
/// baselines keep learning. Each account's records go through its own detectors; an account's
/// learned state is read back from the store when its first record arrives, and the lists
/// registered through the API are put in force for their accounts (``AccountLists``) without
/// rebuilding anything. One user at a time.
final class Pipeline: @unchecked Sendable {
    private let scan: LogScan
    private let lock = NSLock()
    private var lastSaved = Date()
    private let issues = IssueSink()

    /// Where the current user wants reading problems (else they go to standard error); set only
    /// while holding the scan.
    var issueCollector: ((LogIssue) -> Void)? {
        get { issues.collector }
        set { issues.collector = newValue }
    }

    init(options: VigilServer.Options, sharedLists: ThreatIntelligence, store: any FindingStore, accountLists: AccountLists) {
        let issues = self.issues
        scan = LogScan(intel: sharedLists, publicSuffixes: options.publicSuffixes, settings: options.settings, geo: options.geo,
                       listsMayChange: true, maximumAccounts: options.maximumAccounts) { issues.report($0) }
        scan.router.ownLists = { accountLists.lists(for: $0) }
        scan.router.onNewAnalysis = { analysis in
            let states: [String: Data]
            do { states = try store.learnedStates(accountId: analysis.account.description) } catch {
                issues.log("cannot read the learned state of account \(analysis.account): \(error); learning starts again")
                return
            }
            for detector in analysis.learningDetectors {
                guard let state = states[detector.name] else { continue }
                do { try detector.restoreState(state) } catch {
                    issues.log("account \(analysis.account): \(error); learning starts again")
                }
            }
        }
    }

    /// Runs `body` with the scan, holding it for the duration.
    func withScan<R>(_ body: (LogScan) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(scan)
    }

    /// The learned state of every account that analysed records since the last save, by
    /// `<account>/<detector>`, when `interval` seconds have passed since that save; else nothing.
    /// Committed with the checkpoints, so a restart resumes learning where the last save left it.
    /// Call while holding the scan.
    func learnedStateDue(interval: TimeInterval) -> [String: Data] {
        guard Date().timeIntervalSince(lastSaved) >= interval else { return [:] }
        lastSaved = Date()
        var states: [String: Data] = [:]
        for analysis in scan.router.accounts where analysis.takeChanged() {
            for detector in analysis.learningDetectors {
                do {
                    states["\(analysis.account)/\(detector.name)"] = try detector.saveState()
                } catch {
                    issues.log("cannot save the learned state of \(detector.name) for account \(analysis.account): \(error)")
                }
            }
        }
        return states
    }
}

/// Where reading problems go: to the current collector (an ingest request's answer), else to
/// standard error.
final class IssueSink: @unchecked Sendable {
    var collector: ((LogIssue) -> Void)?

    func report(_ issue: LogIssue) {
        if let collector { collector(issue) } else { log("\(issue)") }
    }

    func log(_ message: String) {
        FileHandle.standardError.write(Data("vigil: \(message)\n".utf8))
    }
}
