import Foundation
import PostgresNIO
import VigilModel
import VigilStore

// The outbox: items written in the transaction that stores their findings, handed to one sender
// at a time however many nodes poll (`FOR UPDATE SKIP LOCKED` in the due query's claim).
extension PostgresFindingStore {
    static func enqueue(_ finding: Finding, _ publication: Publication, _ db: PostgresConnection) throws {
        let body = publication.envelope(finding)
        for target in publication.targets(finding) {
            try db.run("INSERT INTO outbox (target, body, attempts, nextAttempt) VALUES ($1, $2, 0, $3)",
                       [.text(target), .text(body), .real(publication.now.timeIntervalSince1970)])
        }
    }

    @discardableResult
    public func enqueueDueUpdates(_ publication: Publication, interval: (String, String) -> TimeInterval) throws -> Int {
        try transaction { db in
            var count = 0
            let now = publication.now.timeIntervalSince1970
            for row in try db.rows("""
                SELECT id, accountId, region, body::text, publishedAt FROM finding WHERE unpublished AND NOT archived ORDER BY id FOR UPDATE SKIP LOCKED
                """) {
                let (id, account, region, body, published) = try row.decode((String, String, String, String, Double?).self)
                guard now - (published ?? 0) >= interval(account, region), var finding = FindingRevision.decode(body) else { continue }
                finding.service?.archived = false
                try Self.enqueue(finding, publication, db)
                try db.run("UPDATE finding SET publishedAt = $1, unpublished = false WHERE id = $2", [.real(now), .text(id)])
                count += 1
            }
            return count
        }
    }

    /// Due items, each claimed for a minute (its next attempt moved on) so another node polling
    /// meanwhile does not send it too; ``delivered(_:)`` removes it, ``deliveryFailed(_:nextAttempt:)``
    /// sets its retry.
    public func dueDeliveries(now: Date, limit: Int) throws -> [OutboxItem] {
        try transaction { db in
            try db.rows("""
                UPDATE outbox SET nextAttempt = $1 WHERE id IN (
                    SELECT id FROM outbox WHERE nextAttempt <= $2 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
                RETURNING id, target, body, attempts
                """, [.real(now.timeIntervalSince1970 + 60), .real(now.timeIntervalSince1970), .integer(limit)]).map { row in
                let (id, target, body, attempts) = try row.decode((Int, String, String, Int).self)
                return OutboxItem(id: Int64(id), target: target, body: body, attempts: attempts)
            }.sorted { $0.id < $1.id }
        }
    }

    public func delivered(_ id: Int64) throws {
        try session { db in try db.run("DELETE FROM outbox WHERE id = $1", [.integer(Int(id))]) }
    }

    public func deliveryFailed(_ id: Int64, nextAttempt: Date) throws {
        try session { db in
            try db.run("UPDATE outbox SET attempts = attempts + 1, nextAttempt = $1 WHERE id = $2", [.real(nextAttempt.timeIntervalSince1970), .integer(Int(id))])
        }
    }

    public func outboxCount() throws -> Int {
        try session { db in try db.rows("SELECT count(*) FROM outbox").first.map { try $0.decode(Int.self) } ?? 0 }
    }
}
