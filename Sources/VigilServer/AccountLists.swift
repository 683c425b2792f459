import Foundation
import VigilAPI
import VigilIntel
import VigilModel
import VigilStore

/// The lists registered through the API (IPSets, ThreatIntelSets, ThreatEntitySets,
/// TrustedEntitySets), compiled for the accounts they apply to, as in GuardDuty: a detector's
/// ACTIVE sets apply to its own account's records in its region, and an administrator's also to
/// its enabled members' — never to any other account.
///
/// Rebuilt whole when a list or a membership changes; accounts with the same sets share one
/// compiled copy. A set whose list can no longer be read is put in `ERROR` with the reason and
/// left out; it never stops the others (or the server) from loading.
final class AccountLists: @unchecked Sendable {
    private let lock = NSLock()
    private var byAccount: [AccountID: [String: ThreatIntelligence]] = [:]

    /// The account's lists by region (empty when it has none).
    func lists(for account: AccountID) -> [String: ThreatIntelligence] {
        lock.lock()
        defer { lock.unlock() }
        return byAccount[account] ?? [:]
    }

    /// Compiles every ACTIVE set for the accounts it applies to.
    func reload(store: any IntelSetStore & DetectorStore & MembershipStore, loader: IntelSetLoader, log: (String) -> Void) throws {
        let detectors = Dictionary(try store.detectorsByAccountRegion().values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // (account, region) → the sets in force there.
        var sets: [AccountID: [String: [IntelSetRecord]]] = [:]
        var owners: [String: String] = [:]
        for set in try store.intelSets(detectorId: nil) where set.status == .active {
            guard let detector = detectors[set.detectorId], let owner = AccountID(detector.accountId) else { continue }
            owners[set.id] = detector.accountId
            let members = try store.memberships(administrator: detector.accountId).filter { $0.status == .enabled }.compactMap { AccountID($0.member) }
            for account in [owner] + members { sets[account, default: [:]][detector.region, default: []].append(set) }
        }
        var compiled: [[String]: ThreatIntelligence] = [:]
        var built: [AccountID: [String: ThreatIntelligence]] = [:]
        for (account, regions) in sets {
            for (region, records) in regions {
                let key = records.map(\.id).sorted()
                if let done = compiled[key] {
                    built[account, default: [:]][region] = done
                    continue
                }
                var threats: [ThreatListSource] = [], trusted: [ThreatListSource] = []
                for record in records {
                    do {
                        let source = try loader.source(for: record, account: owners[record.id] ?? "", refresh: false)
                        if IntelSetKind(rawValue: record.kind)?.trusted == true { trusted.append(source) } else { threats.append(source) }
                    } catch {
                        try Self.markError(record, "\(error)", store: store, log: log)
                    }
                }
                let lists: ThreatIntelligence
                do {
                    lists = try ThreatIntelligence.load(threatLists: threats, trustedLists: trusted)
                } catch {
                    // One unreadable list: load the others without it.
                    if let bad = records.first(where: { $0.location == error.path }) {
                        try Self.markError(bad, error.reason, store: store, log: log)
                    }
                    lists = (try? ThreatIntelligence.load(threatLists: threats.filter { $0.path != error.path },
                                                          trustedLists: trusted.filter { $0.path != error.path })) ?? .empty
                }
                compiled[key] = lists
                built[account, default: [:]][region] = lists
            }
        }
        lock.lock()
        byAccount = built
        lock.unlock()
    }

    static func markError(_ record: IntelSetRecord, _ reason: String, store: any IntelSetStore, log: (String) -> Void) throws {
        var set = record
        set.status = .error
        set.errorDetails = reason
        try store.saveIntelSet(set)
        log("list \(record.name) (\(record.kind) \(record.id)) is not used: \(reason)")
    }
}
