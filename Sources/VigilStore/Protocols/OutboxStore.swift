import Foundation

/// Events waiting for delivery: the durable outbox, filled by analysis commits, worked by the
/// publisher (at least once per event, retried with back-off).
public protocol OutboxStore: Sendable {
    /// Queues an event for every updated, unarchived finding whose last publication is at least
    /// its detector's publishing interval old (`interval(accountId, region)`, seconds). Returns how many.
    @discardableResult
    func enqueueDueUpdates(_ publication: Publication, interval: (String, String) -> TimeInterval) throws -> Int
    /// Outbox items due for an attempt, oldest first. A store shared by several processes claims
    /// the items it returns for a minute (none is handed to two senders at once); the caller
    /// reports each with ``delivered(_:)`` or ``deliveryFailed(_:nextAttempt:)``, and an item
    /// never reported is due again when its claim lapses.
    func dueDeliveries(now: Date, limit: Int) throws -> [OutboxItem]
    func delivered(_ id: Int64) throws
    func deliveryFailed(_ id: Int64, nextAttempt: Date) throws
    func outboxCount() throws -> Int
}
