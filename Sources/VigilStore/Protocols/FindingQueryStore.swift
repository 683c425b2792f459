import Foundation
import VigilModel

/// Findings as the API reads and changes them. Findings are merged by ID: the same activity seen
/// again (in a later file, after a restart) raises the stored finding's `count` and moves its
/// `eventLastSeen`, never duplicates it.
public protocol FindingQueryStore: Sendable {
    /// Adds findings, merging each with a stored one of the same ID.
    /// The findings of an account and region, with their archived flag set in `service.archived`.
    func findings(accountId: String, region: String) throws -> [Finding]
    func findings(ids: [String], accountId: String) throws -> [Finding]
    /// The findings a selection holds (for criteria the store cannot evaluate itself).
    func findings(_ selection: FindingSelection) throws -> [Finding]
    /// At most `limit` of the findings a selection holds.
    func findings(_ selection: FindingSelection, limit: Int) throws -> [Finding]
    /// One page of the IDs a selection holds, ordered by `column` (then by ID), and whether more
    /// follow it. Costs about a page of work however many findings the selection holds.
    func findingIds(_ selection: FindingSelection, orderBy column: FindingSelection.Column, descending: Bool,
                    limit: Int, offset: Int) throws -> (ids: [String], hasMore: Bool)
    /// The findings of a selection counted in groups: each group's key, size and latest update.
    func findingGroups(_ selection: FindingSelection, by grouping: FindingSelection.Grouping) throws -> [(key: String, count: Int, last: String)]
    /// Marks findings archived or not; returns how many were changed.
    @discardableResult
    func setArchived(_ archived: Bool, ids: [String], accountId: String) throws -> Int
    /// Records `USEFUL` or `NOT_USEFUL` on findings and applies the ``FeedbackRule`` to them;
    /// returns how many were changed.
    @discardableResult
    func setFeedback(_ feedback: String, ids: [String], accountId: String) throws -> Int
}
