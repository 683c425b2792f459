import Foundation
import VigilModel

/// Suppression rules: a detector's filters with action `ARCHIVE`, applied to findings as they
/// arrive. As in GuardDuty, the rules of a finding's own detector apply to it, and those of its
/// account's enabled administrator (in the same region) — never another account's.
public enum Suppression {
    /// Archives the findings the rules match; returns their IDs.
    @discardableResult
    public static func apply(to findings: [Finding], store: any FilterStore & MembershipStore & FindingQueryStore) throws -> [String] {
        let ids = try matching(findings, store: store)
        for (account, group) in Dictionary(grouping: findings.filter { ids.contains($0.id) }, by: \.accountId) {
            try store.setArchived(true, ids: group.map(\.id), accountId: account)
        }
        return findings.map(\.id).filter { ids.contains($0) }
    }

    /// The IDs of the findings a suppression rule of their detector matches.
    public static func matching(_ findings: [Finding], store: any FilterStore & MembershipStore) throws -> Set<String> {
        var archived: Set<String> = []
        let groups = Dictionary(grouping: findings) { "\($0.accountId)\u{0}\($0.region)" }
        for (_, group) in groups {
            guard let first = group.first else { continue }
            let administrators = try store.memberships(member: first.accountId).filter { $0.status == .enabled }.map(\.administrator)
            var rules: [FilterRecord] = []
            for account in [first.accountId] + administrators {
                let detectorId = StableIdentifier.detector(accountId: account, region: first.region)
                rules += try store.filters(detectorId: detectorId).filter { $0.action == "ARCHIVE" }
            }
            guard !rules.isEmpty else { continue }
            let criteria = rules.compactMap { rule in
                (try? JSONSerialization.jsonObject(with: Data(rule.criteria.utf8))).flatMap { try? FindingCriteria(json: $0) }
            }
            let ids = group.filter { finding in
                let tree = JSONTree(finding: finding)
                return criteria.contains { $0.matches(tree) }
            }.map(\.id)
            archived.formUnion(ids)
        }
        return archived
    }
}
