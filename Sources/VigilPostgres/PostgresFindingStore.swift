import Foundation
import Logging
import PostgresNIO
import VigilModel
import VigilStore

/// Every store protocol on PostgreSQL, for several `vigil serve` nodes sharing one database.
///
/// The schema is SQLite's (``PostgresSchema``), the rules for merging sightings and feedback are
/// the same code (``FindingRevision``), and selections are written by the same
/// ``FindingSelection`` in PostgreSQL's dialect, so both stores answer the API alike. Calls wait
/// for their answers, as GRDB's do; a lost connection is replaced on the next call.
public final class PostgresFindingStore: FindingStore {
    static let logger = Logger(label: "vigil.postgres")
    let pool: PostgresConnectionPool
    public let location: PostgresLocation

    /// Connects (``PostgresLocation/connections`` at most at once) and brings the schema up to date.
    public init(location: PostgresLocation) throws {
        self.location = location
        pool = try PostgresConnectionPool(location: location, size: location.connections, logger: Self.logger)
        try migrate()
    }

    /// Applies the migrations not yet applied, under an advisory lock so nodes starting together
    /// migrate once.
    func migrate() throws {
        try transaction { db in
            try db.run("SELECT pg_advisory_xact_lock(7310001)")
            try db.run("CREATE TABLE IF NOT EXISTS vigilSchema (version bigint PRIMARY KEY, appliedAt float8 NOT NULL)")
            let applied = Set(try db.rows("SELECT version FROM vigilSchema").map { try $0.decode(Int.self) })
            for (version, sql) in PostgresSchema.migrations where !applied.contains(version) {
                for statement in PostgresSchema.statements(sql) { try db.run(statement) }
                try db.run("INSERT INTO vigilSchema (version, appliedAt) VALUES ($1, $2)", [.integer(version), .real(Date().timeIntervalSince1970)])
            }
        }
    }

    /// Runs `body` in one transaction (committed when it returns, rolled back when it throws).
    @discardableResult
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try pool.withConnection { db in
            try db.run("BEGIN")
            do {
                let result = try body(db)
                try db.run("COMMIT")
                return result
            } catch {
                _ = try? db.run("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` on a connection outside any transaction (each statement its own).
    @discardableResult
    func session<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try pool.withConnection(body)
    }

    public func reset() throws {
        try transaction { db in
            try db.run("""
                TRUNCATE detector, finding, findingCount, checkpoint, filter, usage, usageResource, resourceTag, intelSet, outbox,
                    membership, destination, learnedState, organizationAdmin, vigilHandover
                """)
        }
    }

    // MARK: Findings

    public func commit(_ findings: [Finding], analysed files: [AnalysedFile], usage: [UsageRecord], archive: Set<String>,
                       publication: Publication?, learned: [String: Data], cluster: ClusterCommit?) throws {
        let handing = cluster.map { !$0.handOver.isEmpty || !$0.consumed.isEmpty } ?? false
        guard !findings.isEmpty || !files.isEmpty || !usage.isEmpty || !learned.isEmpty || handing else { return }
        let storedAt = Date().timeIntervalSince1970
        try transaction { db in
            if let cluster { try Self.fence(cluster, db) }
            for (detector, state) in learned.sorted(by: { $0.key < $1.key }) {
                try db.run("""
                    INSERT INTO learnedState (detector, state, savedAt) VALUES ($1, $2, $3)
                    ON CONFLICT (detector) DO UPDATE SET state = EXCLUDED.state, savedAt = EXCLUDED.savedAt
                    """, [.text(detector), .bytes(state), .real(storedAt)])
            }
            // What is stored under these IDs, locked until the commit (another node merging the
            // same finding waits, then reads what this one wrote).
            var stored: [String: FindingRevision.Stored] = [:]
            if !findings.isEmpty {
                let ids = Array(Set(findings.map(\.id))).sorted()
                for row in try db.rows("SELECT id, body::text, archived, detectedSeverity, feedback FROM finding WHERE id = ANY($1) ORDER BY id FOR UPDATE",
                                       [.texts(ids)]) {
                    let (id, body, archived, detected, feedback) = try row.decode((String, String, Bool, Double?, String?).self)
                    if let finding = FindingRevision.decode(body) {
                        stored[id] = FindingRevision.Stored(finding: finding, archived: archived, detectedSeverity: detected, feedback: feedback)
                    }
                }
            }
            // Every sighting in the commit merged in memory, in order (an ID seen twice merges twice),
            // then each finding written once.
            var rows: [String: Pending] = [:]
            var order: [String] = []
            for incoming in findings {
                let id = incoming.id
                let before = rows[id]
                let prior = before.map { FindingRevision.Stored(finding: $0.finding, archived: $0.archived, detectedSeverity: $0.detected, feedback: stored[id]?.feedback) }
                    ?? stored[id]
                let revised = FindingRevision.merge(incoming, into: prior)
                var row = Pending(finding: revised.finding, archived: revised.archived, detected: revised.detectedSeverity,
                                  publishedAt: before?.publishedAt, unpublished: before?.unpublished ?? false)
                if archive.contains(id) {
                    row.archived = true
                    row.finding.service?.archived = true
                }
                if let publication, !row.archived {
                    if revised.isNew {
                        var published = row.finding
                        published.service?.archived = false
                        try Self.enqueue(published, publication, db)
                        row.publishedAt = publication.now.timeIntervalSince1970
                    } else {
                        row.unpublished = true
                    }
                }
                if before == nil { order.append(id) }
                rows[id] = row
            }
            for start in stride(from: 0, to: order.count, by: 1000) {
                try Self.write(order[start..<min(start + 1000, order.count)].map { rows[$0]! }, storedAt: storedAt, db)
            }
            for u in usage {
                try db.run("""
                    INSERT INTO usage AS u (accountId, dataSource, records, bytes) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (accountId, dataSource) DO UPDATE SET records = u.records + EXCLUDED.records, bytes = u.bytes + EXCLUDED.bytes
                    """, [.text(u.accountId), .text(u.dataSource), .integer(Int(u.records)), .integer(Int(u.bytes))])
                if !u.resource.isEmpty {
                    try db.run("""
                        INSERT INTO usageResource AS u (accountId, dataSource, resource, records, bytes, lastAnalysedAt) VALUES ($1, $2, $3, $4, $5, $6)
                        ON CONFLICT (accountId, dataSource, resource) DO UPDATE SET records = u.records + EXCLUDED.records,
                            bytes = u.bytes + EXCLUDED.bytes, lastAnalysedAt = EXCLUDED.lastAnalysedAt
                        """, [.text(u.accountId), .text(u.dataSource), .text(u.resource), .integer(Int(u.records)), .integer(Int(u.bytes)), .real(storedAt)])
                }
            }
            for file in files {
                try db.run("""
                    INSERT INTO checkpoint (path, size, modified, tag) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size, modified = EXCLUDED.modified, tag = EXCLUDED.tag
                    """, [.text(file.path), .integer(Int(file.size)), .real(file.modified), .text(file.tag)])
            }
            if let cluster { try Self.writeHandovers(cluster, db) }
        }
    }

    /// A finding as a commit will write it.
    struct Pending {
        var finding: Finding
        var archived: Bool
        var detected: Double
        var publishedAt: Double?
        /// Whether an update waits for its publishing interval (kept if already so).
        var unpublished: Bool
    }

    /// Writes `rows` in one statement, a column array each (`unnest`): an insert, or for an ID
    /// already stored an update of everything but what feedback and publication keep.
    static func write(_ rows: [Pending], storedAt: Double, _ db: PostgresConnection) throws {
        var ids: [String] = [], accounts: [String] = [], regions: [String] = [], types: [String] = [], severities: [Double] = []
        var archived: [Bool] = [], updated: [String] = [], bodies: [String] = [], detected: [Double] = [], created: [String] = []
        var resourceTypes: [String] = [], instances: [String] = [], keys: [String] = [], buckets: [String] = [], lastSeen: [String] = []
        var published: [Double] = [], unpublished: [Bool] = []
        for row in rows {
            let f = row.finding
            ids.append(f.id); accounts.append(f.accountId); regions.append(f.region); types.append(f.type); severities.append(f.severity)
            archived.append(row.archived); updated.append(f.updatedAt); bodies.append(try FindingRevision.body(f)); detected.append(row.detected)
            created.append(f.createdAt); resourceTypes.append(f.resource.resourceType ?? ""); instances.append(f.resource.instanceDetails?.instanceId ?? "")
            keys.append(f.resource.accessKeyDetails?.accessKeyId ?? ""); buckets.append(f.resource.s3BucketDetails?.first?.name ?? "")
            lastSeen.append(f.service?.eventLastSeen ?? ""); published.append(row.publishedAt ?? .nan); unpublished.append(row.unpublished)
        }
        // Optional texts travel as '' and publication times as NaN: NULL in the row.
        try db.run("""
            INSERT INTO finding AS f (id, accountId, region, type, severity, archived, updatedAt, storedAt, body, detectedSeverity,
                                      createdAt, resourceType, instanceId, accessKeyId, bucketName, eventLastSeen, publishedAt, unpublished)
            SELECT id, account, region, type, severity, archived, updated, $18, body::jsonb, detected, created, NULLIF(resourceType, ''),
                   NULLIF(instance, ''), NULLIF(key, ''), NULLIF(bucket, ''), NULLIF(lastSeen, ''), NULLIF(published, 'NaN'::float8), unpublished
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::bool[], $7::text[], $8::text[], $9::float8[],
                        $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::float8[], $17::bool[])
                AS u(id, account, region, type, severity, archived, updated, body, detected, created, resourceType, instance, key, bucket,
                     lastSeen, published, unpublished)
            ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, severity = EXCLUDED.severity, archived = EXCLUDED.archived,
                updatedAt = EXCLUDED.updatedAt, storedAt = EXCLUDED.storedAt, body = EXCLUDED.body,
                detectedSeverity = EXCLUDED.detectedSeverity, createdAt = EXCLUDED.createdAt,
                resourceType = EXCLUDED.resourceType, instanceId = EXCLUDED.instanceId, accessKeyId = EXCLUDED.accessKeyId,
                bucketName = EXCLUDED.bucketName, eventLastSeen = EXCLUDED.eventLastSeen,
                publishedAt = COALESCE(EXCLUDED.publishedAt, f.publishedAt), unpublished = f.unpublished OR EXCLUDED.unpublished
            """, [.texts(ids), .texts(accounts), .texts(regions), .texts(types), .reals(severities), .booleans(archived), .texts(updated),
                  .texts(bodies), .reals(detected), .texts(created), .texts(resourceTypes), .texts(instances), .texts(keys), .texts(buckets),
                  .texts(lastSeen), .reals(published), .booleans(unpublished), .real(storedAt)])
    }

    public func findings(accountId: String, region: String) throws -> [Finding] {
        try session { db in
            try Self.findings(db.rows("SELECT body::text, archived FROM finding WHERE accountId = $1 AND region = $2", [.text(accountId), .text(region)]))
        }
    }

    public func findings(ids: [String], accountId: String) throws -> [Finding] {
        guard !ids.isEmpty else { return [] }
        return try session { db in
            try Self.findings(db.rows("SELECT body::text, archived FROM finding WHERE id = ANY($1) AND accountId = $2", [.texts(ids), .text(accountId)]))
        }
    }

    public func findings(_ selection: FindingSelection) throws -> [Finding] {
        try findings(selection, limit: -1)
    }

    public func findings(_ selection: FindingSelection, limit: Int) throws -> [Finding] {
        var statement = SQLStatement(.postgres)
        let clause = selection.whereClause(&statement)
        let bounded = limit >= 0 ? " LIMIT \(limit)" : ""
        return try session { db in
            try Self.findings(db.rows("SELECT body::text, archived FROM finding WHERE \(clause)\(bounded)", statement.arguments.map(PostgresBind.init)))
        }
    }

    public func findingIds(_ selection: FindingSelection, orderBy column: FindingSelection.Column, descending: Bool,
                           limit: Int, offset: Int) throws -> (ids: [String], hasMore: Bool) {
        var statement = SQLStatement(.postgres)
        let clause = selection.whereClause(&statement)
        let nullable: Set<FindingSelection.Column> = [.createdAt, .resourceType, .instanceId, .accessKeyId, .eventLastSeen]
        let order = (nullable.contains(column) ? "\(column.rawValue) IS NULL, " : "") + "\(column.rawValue) \(descending ? "DESC" : "ASC"), id"
        let page = statement.bind(.integer(limit + 1)), skip = statement.bind(.integer(offset))
        let ids = try session { db in
            try db.rows("SELECT id FROM finding WHERE \(clause) ORDER BY \(order) LIMIT \(page) OFFSET \(skip)",
                        statement.arguments.map(PostgresBind.init)).map { try $0.decode(String.self) }
        }
        return (Array(ids.prefix(limit)), ids.count > limit)
    }

    public func findingGroups(_ selection: FindingSelection, by grouping: FindingSelection.Grouping) throws -> [(key: String, count: Int, last: String)] {
        var statement = SQLStatement(.postgres)
        let clause = selection.whereClause(&statement)
        let key: String
        switch grouping {
        case .account: key = "accountId"
        case .type: key = "type"
        case .severity: key = "severity::text"
        case .date: key = "substr(updatedAt, 1, 10)"
        case .resource: key = "COALESCE(instanceId, accessKeyId, bucketName, resourceType, 'unknown')"
        }
        let sql = selection.isCountedFromSummary(by: grouping)
            ? "SELECT \(key) AS k, sum(n)::bigint AS n, max(last) AS last FROM findingCount WHERE \(clause) GROUP BY k HAVING sum(n) > 0"
            : "SELECT \(key) AS k, count(*) AS n, max(updatedAt) AS last FROM finding WHERE \(clause) GROUP BY k"
        return try session { db in
            try db.rows(sql, statement.arguments.map(PostgresBind.init)).map { row in
                let (k, n, last) = try row.decode((String?, Int, String?).self)
                // Severities are named as Swift prints a Double (`8.0`), as the findings themselves.
                let name = grouping == .severity ? (k.flatMap(Double.init).map { String($0) } ?? "") : (k ?? "unknown")
                return (name, n, last ?? "")
            }
        }
    }

    static func findings(_ rows: [PostgresRow]) throws -> [Finding] {
        try rows.compactMap { row in
            let (body, archived) = try row.decode((String, Bool).self)
            guard var finding = FindingRevision.decode(body) else { return nil }
            finding.service?.archived = archived
            return finding
        }
    }

    @discardableResult
    public func setArchived(_ archived: Bool, ids: [String], accountId: String) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try session { db in
            try db.run("UPDATE finding SET archived = $1 WHERE id = ANY($2) AND accountId = $3", [.boolean(archived), .texts(ids), .text(accountId)])
        }
    }

    @discardableResult
    public func setFeedback(_ feedback: String, ids: [String], accountId: String) throws -> Int {
        try transaction { db in
            var changed = 0
            for row in try db.rows("SELECT id, body::text, archived, detectedSeverity FROM finding WHERE id = ANY($1) AND accountId = $2 ORDER BY id FOR UPDATE",
                                   [.texts(ids), .text(accountId)]) {
                let (id, body, archived, detected) = try row.decode((String, String, Bool, Double?).self)
                guard let finding = FindingRevision.decode(body) else { continue }
                let revised = FindingRevision.feedback(feedback, on: .init(finding: finding, archived: archived, detectedSeverity: detected, feedback: nil))
                try db.run("UPDATE finding SET body = $1::jsonb, severity = $2, archived = $3, feedback = $4, detectedSeverity = $5 WHERE id = $6",
                           [.text(try FindingRevision.body(revised.finding)), .real(revised.finding.severity), .boolean(revised.archived),
                            .text(feedback), .real(revised.detectedSeverity), .text(id)])
                changed += 1
            }
            return changed
        }
    }

    /// Deletes findings stored before `cutoff` in batches of 5,000 rows, each its own short
    /// transaction, so retention never holds the table while nodes write.
    @discardableResult
    public func refreshPlannerStatistics() throws {
        try session { db in try db.run("ANALYZE finding, findingCount") }
    }

    public func deleteFindings(storedBefore cutoff: Date) throws -> Int {
        var total = 0
        while true {
            let deleted = try session { db in
                try db.run("""
                    DELETE FROM finding WHERE id IN (SELECT id FROM finding WHERE storedAt < $1 ORDER BY storedAt LIMIT 5000 FOR UPDATE SKIP LOCKED)
                    """, [.real(cutoff.timeIntervalSince1970)])
            }
            total += deleted
            if deleted < 5000 { return total }
        }
    }

    // MARK: Checkpoints and learned state

    public func checkpoint(path: String) throws -> AnalysedFile? {
        try session { db in
            try db.rows("SELECT size, modified, tag FROM checkpoint WHERE path = $1", [.text(path)]).first.map { row in
                let (size, modified, tag) = try row.decode((Int, Double, String?).self)
                return AnalysedFile(path: path, size: Int64(size), modified: modified, tag: tag)
            }
        }
    }

    public func learnedStates() throws -> [String: Data] {
        try session { db in
            var states: [String: Data] = [:]
            for row in try db.rows("SELECT detector, state FROM learnedState") {
                let (key, state) = try row.decode((String, Data).self)
                states[key] = state
            }
            return states
        }
    }

    public func learnedStates(accountId: String) throws -> [String: Data] {
        try session { db in
            var states: [String: Data] = [:]
            // The key range `<account>/` … `<account>0` ('0' follows '/' in the C collation): the primary key answers.
            for row in try db.rows("SELECT detector, state FROM learnedState WHERE detector >= $1 AND detector < $2",
                                   [.text(accountId + "/"), .text(accountId + "0")]) {
                let (key, state) = try row.decode((String, Data).self)
                states[String(key.dropFirst(accountId.count + 1))] = state
            }
            return states
        }
    }
}
