import VigilIntel
import VigilLogs
import VigilModel

/// One account's analysis: its own detectors — so its windows, counters, profiles and instance
/// inventory are its alone and no other account's records can change its results — the engine
/// routing its records to them, the aggregator collecting its findings, and the lists in force
/// for it (the lists for every account, and its own by region).
public final class AccountAnalysis {
    public let account: AccountID
    public let detectors: [any Detector]
    public let engine: DetectionEngine
    public let aggregator: FindingAggregator
    /// Correlates the account's findings into attack sequences as they are drained.
    public let sequences = AttackSequenceCorrelator()
    /// The account's own lists by region.
    private var ownLists: [(region: String, lists: ThreatIntelligence)] = []
    /// Whether records were analysed since the learned state was last taken (``takeChanged()``).
    public private(set) var changed = false

    init(account: AccountID, detectors: [any Detector], intel: IntelScope, listsMayChange: Bool) {
        self.account = account
        self.detectors = detectors
        aggregator = FindingAggregator()
        if let inventory = detectors.lazy.compactMap({ $0 as? InstanceInventory }).first {
            aggregator.resourceCompleter = { inventory.complete(&$0) }
        }
        engine = DetectionEngine(detectors: detectors, sink: aggregator, intel: intel, listsMayChange: listsMayChange)
    }

    /// The detectors whose learned state outlives the process.
    public var learningDetectors: [any LearningDetector] { detectors.compactMap { $0 as? any LearningDetector } }

    /// Whether the account has lists of its own.
    @inline(__always) var hasOwnLists: Bool { !ownLists.isEmpty }

    /// Replaces the account's own lists (by region).
    func setOwnLists(_ lists: [String: ThreatIntelligence]) {
        ownLists = lists.sorted { $0.key < $1.key }.map { (region: $0.key, lists: $0.value) }
        engine.intel.own = nil
    }

    /// Puts the account's lists for `region` in force (none when it has none there).
    func selectLists(region: String) {
        engine.intel.own = ownLists.first { $0.region == region }?.lists
    }

    /// Marks the analysis as having seen records.
    @inline(__always) func touch() { if !changed { changed = true } }

    /// Appends to `out` the findings raised or updated since the last drain, with the attack
    /// sequences they make.
    public func drain(into out: inout [Finding]) {
        let start = out.count
        aggregator.drain(into: &out)
        sequences.correlate(&out, from: start)
    }

    /// Whether records were analysed since the last call, resetting the mark.
    public func takeChanged() -> Bool {
        defer { changed = false }
        return changed
    }
}
