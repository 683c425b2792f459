import Foundation
import GRDB
import VigilModel

/// The default ``FindingStore``: one SQLite file in the data folder, in WAL mode, through GRDB;
/// the schema is created and migrated in code.
public final class SQLiteFindingStore: FindingStore {
    private let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) `vigil.sqlite` in `directory`.
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        path = (directory as NSString).appendingPathComponent("vigil.sqlite")
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // 32 MiB of page cache per connection: the finding indexes of a large store stay in memory.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -32768") }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-detectors-findings-checkpoints") { db in
            try db.create(table: "detector") { t in
                t.primaryKey("id", .text)
                t.column("accountId", .text).notNull()
                t.column("region", .text).notNull()
                t.column("status", .text).notNull()
                t.column("findingPublishingFrequency", .text).notNull()
                t.column("createdAt", .text).notNull()
                t.column("updatedAt", .text).notNull()
                t.column("tags", .text).notNull()
                t.uniqueKey(["accountId", "region"])
            }
            try db.create(table: "finding") { t in
                t.primaryKey("id", .text)
                t.column("accountId", .text).notNull()
                t.column("region", .text).notNull()
                t.column("type", .text).notNull()
                t.column("severity", .double).notNull()
                t.column("archived", .boolean).notNull().defaults(to: false)
                t.column("updatedAt", .text).notNull()
                t.column("storedAt", .double).notNull()
                t.column("body", .text).notNull()
            }
            try db.create(index: "finding_account_region", on: "finding", columns: ["accountId", "region"])
            try db.create(index: "finding_stored", on: "finding", columns: ["storedAt"])
            try db.create(table: "checkpoint") { t in
                t.primaryKey("path", .text)
                t.column("size", .integer).notNull()
                t.column("modified", .double).notNull()
            }
        }
        migrator.registerMigration("2-filters-feedback") { db in
            try db.create(table: "filter") { t in
                t.column("detectorId", .text).notNull()
                t.column("name", .text).notNull()
                t.column("description", .text)
                t.column("action", .text).notNull()
                t.column("rank", .integer).notNull()
                t.column("criteria", .text).notNull()
                t.column("tags", .text).notNull()
                t.primaryKey(["detectorId", "name"])
            }
            // The severity the detectors gave, kept while feedback lowers the shown one.
            try db.alter(table: "finding") { t in
                t.add(column: "detectedSeverity", .double)
                t.add(column: "feedback", .text)
            }
        }
        migrator.registerMigration("3-usage-tags") { db in
            try db.create(table: "usage") { t in
                t.column("accountId", .text).notNull()
                t.column("dataSource", .text).notNull()
                t.column("records", .integer).notNull()
                t.column("bytes", .integer).notNull()
                t.primaryKey(["accountId", "dataSource"])
            }
            try db.create(table: "resourceTag") { t in
                t.primaryKey("resourceArn", .text)
                t.column("tags", .text).notNull()
            }
        }
        migrator.registerMigration("4-intel-sets") { db in
            try db.create(table: "intelSet") { t in
                t.primaryKey("id", .text)
                t.column("kind", .text).notNull()
                t.column("detectorId", .text).notNull()
                t.column("name", .text).notNull()
                t.column("format", .text).notNull()
                t.column("location", .text).notNull()
                t.column("status", .text).notNull()
                t.column("errorDetails", .text)
                t.column("createdAt", .text).notNull()
                t.column("updatedAt", .text).notNull()
            }
        }
        migrator.registerMigration("5-outbox") { db in
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("target", .text).notNull()
                t.column("body", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("nextAttempt", .double).notNull()
            }
            try db.create(index: "outbox_due", on: "outbox", columns: ["nextAttempt"])
            try db.alter(table: "finding") { t in
                t.add(column: "publishedAt", .double)
                t.add(column: "unpublished", .boolean).notNull().defaults(to: false)
            }
        }
        migrator.registerMigration("6-members") { db in
            try db.create(table: "membership") { t in
                t.column("administrator", .text).notNull()
                t.column("member", .text).notNull()
                t.column("email", .text).notNull()
                t.column("status", .text).notNull()
                t.column("invitationId", .text)
                t.column("invitedAt", .text)
                t.column("updatedAt", .text).notNull()
                t.primaryKey(["administrator", "member"])
            }
        }
        migrator.registerMigration("7-destinations") { db in
            try db.create(table: "destination") { t in
                t.primaryKey("id", .text)
                t.column("detectorId", .text).notNull()
                t.column("destinationArn", .text).notNull()
                t.column("kmsKeyArn", .text)
                t.column("status", .text).notNull()
            }
        }
        migrator.registerMigration("8-usage-by-resource") { db in
            try db.create(table: "usageResource") { t in
                t.column("accountId", .text).notNull()
                t.column("dataSource", .text).notNull()
                t.column("resource", .text).notNull()
                t.column("records", .integer).notNull()
                t.column("bytes", .integer).notNull()
                t.primaryKey(["accountId", "dataSource", "resource"])
            }
        }
        migrator.registerMigration("9-tags-only-by-arn") { db in
            // Tags live in `resourceTag`, by ARN, for every kind of resource.
            try db.alter(table: "detector") { t in t.drop(column: "tags") }
            try db.alter(table: "filter") { t in t.drop(column: "tags") }
        }
        migrator.registerMigration("10-learned-state") { db in
            try db.create(table: "learnedState") { t in
                t.primaryKey("detector", .text)
                t.column("state", .blob).notNull()
                t.column("savedAt", .double).notNull()
            }
        }
        migrator.registerMigration("11-finding-columns") { db in
            // Columns beside the JSON for the selections the API and the console make, filled
            // from the JSON of findings already stored.
            for column in ["createdAt", "resourceType", "instanceId", "accessKeyId", "bucketName", "eventLastSeen"] {
                try db.execute(sql: "ALTER TABLE finding ADD COLUMN \(column) TEXT")
            }
            try db.execute(sql: """
                UPDATE finding SET createdAt = json_extract(body, '$.createdAt'), resourceType = json_extract(body, '$.resource.resourceType'),
                    instanceId = json_extract(body, '$.resource.instanceDetails.instanceId'),
                    accessKeyId = json_extract(body, '$.resource.accessKeyDetails.accessKeyId'),
                    bucketName = json_extract(body, '$.resource.s3BucketDetails[0].name'),
                    eventLastSeen = json_extract(body, '$.service.eventLastSeen')
                """)
            try db.create(index: "finding_scope_updated", on: "finding", columns: ["accountId", "region", "updatedAt"])
            try db.create(index: "finding_scope_type", on: "finding", columns: ["accountId", "region", "type"])
            try db.create(index: "finding_scope_severity", on: "finding", columns: ["accountId", "region", "severity"])
            // The console's default list: current findings, newest first.
            try db.create(index: "finding_scope_current_updated", on: "finding", columns: ["accountId", "region", "archived", "updatedAt"])
            // Covers the statistics (counts by severity, type, resource, day) without reading the JSON.
            try db.create(index: "finding_statistics", on: "finding", columns: [
                "accountId", "region", "archived", "severity", "type", "updatedAt", "instanceId", "accessKeyId", "bucketName", "resourceType"])
        }
        migrator.registerMigration("12-learned-state-per-account") { db in
            // States were saved for every account together; each account now learns apart, keyed
            // `<account>/<detector>`. The shared states cannot be split: learning starts again.
            try db.execute(sql: "DELETE FROM learnedState WHERE instr(detector, '/') = 0")
        }
        migrator.registerMigration("13-maintained-counts") { db in
            // Lists sorted by update time (the API's and the console's default) walk this index in
            // order and test severity, archived and type in it: one page reads about a page of
            // entries instead of sorting every match.
            try db.create(index: "finding_scope_updated_cover", on: "finding",
                          columns: ["accountId", "region", "updatedAt", "severity", "archived", "type", "id"])
            try db.execute(sql: SQLiteFindingCounts.schema)
        }
        migrator.registerMigration("14-checkpoint-tag") { db in
            // S3 objects' entity tags: an object rewritten under its key is read again.
            try db.alter(table: "checkpoint") { t in t.add(column: "tag", .text) }
        }
        migrator.registerMigration("15-detector-settings-organization-admins") { db in
            // Data sources and features as set, echoed back; an organization's delegated administrators.
            // One detector per account and region stays the rule for every detector but the extra
            // ones `--test-mode` allows (moto's tests make several): the table is rebuilt with the
            // uniqueness as a partial index over the others.
            try db.create(table: "detectorNew") { t in
                t.primaryKey("id", .text)
                t.column("accountId", .text).notNull()
                t.column("region", .text).notNull()
                t.column("status", .text).notNull()
                t.column("findingPublishingFrequency", .text).notNull()
                t.column("createdAt", .text).notNull()
                t.column("updatedAt", .text).notNull()
                t.column("settings", .text)
                t.column("secondary", .boolean).notNull().defaults(to: false)
            }
            try db.execute(sql: """
                INSERT INTO detectorNew (id, accountId, region, status, findingPublishingFrequency, createdAt, updatedAt)
                SELECT id, accountId, region, status, findingPublishingFrequency, createdAt, updatedAt FROM detector
                """)
            try db.drop(table: "detector")
            try db.rename(table: "detectorNew", to: "detector")
            try db.execute(sql: "CREATE UNIQUE INDEX detector_account_region ON detector (accountId, region) WHERE NOT secondary")
        }
        migrator.registerMigration("16-usage-last-analysed") { db in
            // When each log source's records were last committed: coverage (ListCoverage) from it.
            try db.alter(table: "usageResource") { t in t.add(column: "lastAnalysedAt", .double) }
            try db.create(table: "organizationAdmin") { t in
                t.column("managementAccountId", .text).notNull()
                t.column("adminAccountId", .text).notNull()
                t.column("status", .text).notNull()
                t.primaryKey(["managementAccountId", "adminAccountId"])
            }
        }
        return migrator
    }

    // MARK: Detectors

    public func createDetector(_ d: DetectorRecord) throws {
        try pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO detector (id, accountId, region, status, findingPublishingFrequency, createdAt, updatedAt, settings, secondary)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [d.id, d.accountId, d.region, d.status, d.findingPublishingFrequency, d.createdAt, d.updatedAt, d.settings,
                                          d.id != StableIdentifier.detector(accountId: d.accountId, region: d.region)])
        }
    }

    public func detector(id: String) throws -> DetectorRecord? {
        try pool.unsafeRead { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM detector WHERE id = ?"), arguments: [id]).map(Self.detector) }
    }

    public func detectors(accountId: String, region: String) throws -> [DetectorRecord] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM detector WHERE accountId = ? AND region = ? ORDER BY id"), arguments: [accountId, region]).map(Self.detector)
        }
    }

    /// Every account's detector in each region, keyed `account/region` (not the extra ones `--test-mode` allows).
    public func detectorsByAccountRegion() throws -> [String: DetectorRecord] {
        try pool.read { db in
            Dictionary(try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM detector WHERE NOT secondary")).map(Self.detector).map { ("\($0.accountId)/\($0.region)", $0) },
                       uniquingKeysWith: { a, _ in a })
        }
    }

    public func updateDetector(_ d: DetectorRecord) throws {
        try pool.write { db in
            try db.cachedStatement(sql: "UPDATE detector SET status = ?, findingPublishingFrequency = ?, updatedAt = ?, settings = ? WHERE id = ?")
                .execute(arguments: [d.status, d.findingPublishingFrequency, d.updatedAt, d.settings, d.id])
        }
    }

    public func deleteDetector(id: String) throws {
        try pool.write { db in try db.cachedStatement(sql: "DELETE FROM detector WHERE id = ?").execute(arguments: [id]) }
    }

    static func detector(_ row: Row) -> DetectorRecord {
        DetectorRecord(id: row["id"], accountId: row["accountId"], region: row["region"], status: row["status"],
                       findingPublishingFrequency: row["findingPublishingFrequency"], createdAt: row["createdAt"], updatedAt: row["updatedAt"],
                       settings: row["settings"])
    }

    // MARK: Organization administrators

    public func setOrganizationAdmin(managementAccountId: String, adminAccountId: String, status: String?) throws {
        try pool.write { db in
            if let status {
                try db.cachedStatement(sql: """
                    INSERT INTO organizationAdmin (managementAccountId, adminAccountId, status) VALUES (?, ?, ?)
                    ON CONFLICT(managementAccountId, adminAccountId) DO UPDATE SET status = excluded.status
                    """).execute(arguments: [managementAccountId, adminAccountId, status])
            } else {
                try db.cachedStatement(sql: "DELETE FROM organizationAdmin WHERE managementAccountId = ? AND adminAccountId = ?")
                    .execute(arguments: [managementAccountId, adminAccountId])
            }
        }
    }

    public func organizationAdmins(managementAccountId: String) throws -> [(adminAccountId: String, status: String)] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT adminAccountId, status FROM organizationAdmin WHERE managementAccountId = ? ORDER BY adminAccountId"),
                             arguments: [managementAccountId]).map { ($0["adminAccountId"], $0["status"]) }
        }
    }

    // MARK: Findings

    public func commit(_ findings: [Finding], analysed files: [AnalysedFile], usage: [UsageRecord], archive: Set<String>,
                       publication: Publication?, learned: [String: Data], cluster: ClusterCommit?) throws {
        // One node's own file: nodes share work through PostgreSQL only.
        if let cluster { throw LeaseLost(node: cluster.node, shards: cluster.leases.map(\.shard)) }
        guard !findings.isEmpty || !files.isEmpty || !usage.isEmpty || !learned.isEmpty else { return }
        let storedAt = Date().timeIntervalSince1970
        try pool.write { db in
            for (detector, state) in learned.sorted(by: { $0.key < $1.key }) {
                try db.cachedStatement(sql: """
                    INSERT INTO learnedState (detector, state, savedAt) VALUES (?, ?, ?)
                    ON CONFLICT(detector) DO UPDATE SET state = excluded.state, savedAt = excluded.savedAt
                    """).execute(arguments: [detector, state, storedAt])
            }
            for incoming in findings {
                let stored = try Row.fetchOne(db.cachedStatement(sql: "SELECT body, archived, detectedSeverity, feedback FROM finding WHERE id = ?"),
                                              arguments: [incoming.id]).flatMap { row in
                    FindingRevision.decode(row["body"]).map {
                        FindingRevision.Stored(finding: $0, archived: row["archived"], detectedSeverity: row["detectedSeverity"], feedback: row["feedback"])
                    }
                }
                let revised = FindingRevision.merge(incoming, into: stored)
                var finding = revised.finding, archived = revised.archived
                let detected = revised.detectedSeverity, isNew = revised.isNew
                let body = try FindingRevision.body(finding)
                try db.cachedStatement(sql: """
                    INSERT INTO finding (id, accountId, region, type, severity, archived, updatedAt, storedAt, body, detectedSeverity,
                                         createdAt, resourceType, instanceId, accessKeyId, bucketName, eventLastSeen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET type = excluded.type, severity = excluded.severity,
                        updatedAt = excluded.updatedAt, storedAt = excluded.storedAt, body = excluded.body,
                        detectedSeverity = excluded.detectedSeverity, createdAt = excluded.createdAt,
                        resourceType = excluded.resourceType, instanceId = excluded.instanceId, accessKeyId = excluded.accessKeyId,
                        bucketName = excluded.bucketName, eventLastSeen = excluded.eventLastSeen
                    """).execute(arguments: [finding.id, finding.accountId, finding.region, finding.type, finding.severity, archived,
                                     finding.updatedAt, storedAt, body, detected, finding.createdAt, finding.resource.resourceType,
                                     finding.resource.instanceDetails?.instanceId, finding.resource.accessKeyDetails?.accessKeyId,
                                     finding.resource.s3BucketDetails?.first?.name, finding.service?.eventLastSeen])
                if archive.contains(finding.id) {
                    archived = true
                    finding.service?.archived = true
                    try db.cachedStatement(sql: "UPDATE finding SET archived = 1 WHERE id = ?").execute(arguments: [finding.id])
                }
                if let publication, !archived {
                    if isNew {
                        finding.service?.archived = false
                        try Self.enqueue(finding, publication, db)
                        try db.cachedStatement(sql: "UPDATE finding SET publishedAt = ?, unpublished = 0 WHERE id = ?").execute(arguments: [publication.now.timeIntervalSince1970, finding.id])
                    } else {
                        try db.cachedStatement(sql: "UPDATE finding SET unpublished = 1 WHERE id = ?").execute(arguments: [finding.id])
                    }
                }
            }
            for u in usage {
                try db.cachedStatement(sql: """
                    INSERT INTO usage (accountId, dataSource, records, bytes) VALUES (?, ?, ?, ?)
                    ON CONFLICT(accountId, dataSource) DO UPDATE SET records = records + excluded.records, bytes = bytes + excluded.bytes
                    """).execute(arguments: [u.accountId, u.dataSource, u.records, u.bytes])
                if !u.resource.isEmpty {
                    try db.cachedStatement(sql: """
                        INSERT INTO usageResource (accountId, dataSource, resource, records, bytes, lastAnalysedAt) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT(accountId, dataSource, resource) DO UPDATE SET records = records + excluded.records, bytes = bytes + excluded.bytes,
                            lastAnalysedAt = excluded.lastAnalysedAt
                        """).execute(arguments: [u.accountId, u.dataSource, u.resource, u.records, u.bytes, storedAt])
                }
            }
            for file in files {
                try db.cachedStatement(sql: """
                    INSERT INTO checkpoint (path, size, modified, tag) VALUES (?, ?, ?, ?)
                    ON CONFLICT(path) DO UPDATE SET size = excluded.size, modified = excluded.modified, tag = excluded.tag
                    """).execute(arguments: [file.path, file.size, file.modified, file.tag])
            }
        }
    }

    public func findings(accountId: String, region: String) throws -> [Finding] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT body, archived FROM finding WHERE accountId = ? AND region = ?"), arguments: [accountId, region])
                .compactMap(Self.finding)
        }
    }

    public func findings(ids: [String], accountId: String) throws -> [Finding] {
        guard !ids.isEmpty else { return [] }
        return try pool.read { db in
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
            var arguments = StatementArguments(ids)
            arguments += [accountId]
            // `+accountId`: look rows up by ID, not by scanning the account's index.
            return try Row.fetchAll(db, sql: "SELECT body, archived FROM finding WHERE id IN (\(marks)) AND +accountId = ?", arguments: arguments)
                .compactMap(Self.finding)
        }
    }

    public func findings(_ selection: FindingSelection) throws -> [Finding] {
        try findings(selection, limit: -1)
    }

    public func findings(_ selection: FindingSelection, limit: Int) throws -> [Finding] {
        var statement = SQLStatement(.sqlite)
        let clause = selection.whereClause(&statement)
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT body, archived FROM finding WHERE \(clause) LIMIT \(limit)", arguments: Self.arguments(statement))
                .compactMap(Self.finding)
        }
    }

    public func findingIds(_ selection: FindingSelection, orderBy column: FindingSelection.Column, descending: Bool,
                           limit: Int, offset: Int) throws -> (ids: [String], hasMore: Bool) {
        var statement = SQLStatement(.sqlite)
        let clause = selection.whereClause(&statement)
        var page = Self.arguments(statement)
        page += [limit + 1, offset]
        // Columns that are never NULL sort by themselves, so an index on them serves the order.
        let nullable: Set<FindingSelection.Column> = [.createdAt, .resourceType, .instanceId, .accessKeyId, .eventLastSeen]
        let order = (nullable.contains(column) ? "\(column.rawValue) IS NULL, " : "") + "\(column.rawValue) \(descending ? "DESC" : "ASC"), id"
        // By update time, with tests the ordered index holds: walk it in order (SQLite would rather
        // gather every match and sort them).
        let ordered = column == .updatedAt && selection.jsonTests.isEmpty
            && selection.tests.allSatisfy { Self.updatedOrderColumns.contains($0.0) }
        let index = ordered ? " INDEXED BY finding_scope_updated_cover" : ""
        let ids = try pool.unsafeRead { db in  // one statement: its own snapshot, no transaction needed
            try String.fetchAll(db, sql: "SELECT id FROM finding\(index) WHERE \(clause) ORDER BY \(order) LIMIT ? OFFSET ?", arguments: page)
        }
        return (Array(ids.prefix(limit)), ids.count > limit)
    }

    /// The columns `finding_scope_updated_cover` holds after the update time.
    static let updatedOrderColumns: Set<FindingSelection.Column> = [.accountId, .region, .updatedAt, .severity, .archived, .type, .id]

    public func findingGroups(_ selection: FindingSelection, by grouping: FindingSelection.Grouping) throws -> [(key: String, count: Int, last: String)] {
        var statement = SQLStatement(.sqlite)
        let clause = selection.whereClause(&statement)
        let key = switch grouping {
        case .account: "accountId"
        case .type: "type"
        case .severity: "CAST(severity AS TEXT)"
        case .date: "substr(updatedAt, 1, 10)"
        case .resource: "COALESCE(instanceId, accessKeyId, bucketName, resourceType, 'unknown')"
        }
        return try pool.unsafeRead { db in  // one statement: its own snapshot, no transaction needed
            if selection.isCountedFromSummary(by: grouping) { return try SQLiteFindingCounts.groups(db, selection, by: grouping) }
            return try Row.fetchAll(db, sql: "SELECT \(key) AS k, count(*) AS n, max(updatedAt) AS last FROM finding INDEXED BY finding_statistics WHERE \(clause) GROUP BY k",
                             arguments: Self.arguments(statement)).map { row in
                let k: String = grouping == .severity ? String(row["k"] as String? ?? "") : row["k"] ?? "unknown"
                return (k, row["n"], row["last"] ?? "")
            }
        }
    }

    static func arguments(_ statement: SQLStatement) -> StatementArguments {
        StatementArguments(statement.arguments.map { value -> (any DatabaseValueConvertible) in
            switch value {
            case .text(let s): s
            case .real(let d): d
            case .integer(let i): i
            case .boolean(let b): b
            }
        })
    }

    static func finding(_ row: Row) -> Finding? {
        guard var finding = FindingRevision.decode(row["body"]) else { return nil }
        finding.service?.archived = row["archived"]
        return finding
    }

    @discardableResult
    public func setArchived(_ archived: Bool, ids: [String], accountId: String) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try pool.write { db in
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
            var arguments: StatementArguments = [archived]
            arguments += StatementArguments(ids)
            arguments += [accountId]
            try db.execute(sql: "UPDATE finding SET archived = ? WHERE id IN (\(marks)) AND accountId = ?", arguments: arguments)
            return db.changesCount
        }
    }

    @discardableResult
    public func refreshPlannerStatistics() throws {
        try pool.write { db in try db.execute(sql: "PRAGMA optimize") }
    }

    public func deleteFindings(storedBefore cutoff: Date) throws -> Int {
        try pool.write { db in
            try db.cachedStatement(sql: "DELETE FROM finding WHERE storedAt < ?").execute(arguments: [cutoff.timeIntervalSince1970])
            return db.changesCount
        }
    }

    // MARK: Checkpoints

    public func checkpoint(path: String) throws -> AnalysedFile? {
        try pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT size, modified, tag FROM checkpoint WHERE path = ?"), arguments: [path]).map {
                AnalysedFile(path: path, size: $0["size"], modified: $0["modified"], tag: $0["tag"])
            }
        }
    }

    public func reset() throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM detector; DELETE FROM finding; DELETE FROM checkpoint; DELETE FROM filter; DELETE FROM usage; DELETE FROM usageResource; DELETE FROM resourceTag; DELETE FROM intelSet; DELETE FROM outbox; DELETE FROM membership; DELETE FROM destination; DELETE FROM learnedState; DELETE FROM organizationAdmin;")
        }
    }

    public func learnedStates() throws -> [String: Data] {
        try pool.read { db in
            var states: [String: Data] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT detector, state FROM learnedState")) { states[row["detector"]] = row["state"] }
            return states
        }
    }

    public func learnedStates(accountId: String) throws -> [String: Data] {
        try pool.read { db in
            var states: [String: Data] = [:]
            // The key range `<account>/` … `<account>0` ('0' follows '/'), so the primary key's index answers.
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT detector, state FROM learnedState WHERE detector >= ? AND detector < ?"),
                                        arguments: [accountId + "/", accountId + "0"]) {
                let key: String = row["detector"]
                states[String(key.dropFirst(accountId.count + 1))] = row["state"]
            }
            return states
        }
    }

    // MARK: Intel sets

    public func saveIntelSet(_ set: IntelSetRecord) throws {
        try pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO intelSet (id, kind, detectorId, name, format, location, status, errorDetails, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET name = excluded.name, format = excluded.format, location = excluded.location,
                    status = excluded.status, errorDetails = excluded.errorDetails, updatedAt = excluded.updatedAt
                """).execute(arguments: [set.id, set.kind, set.detectorId, set.name, set.format, set.location, set.status, set.errorDetails,
                                 set.createdAt, set.updatedAt])
        }
    }

    public func intelSet(id: String) throws -> IntelSetRecord? {
        try pool.read { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM intelSet WHERE id = ?"), arguments: [id]).map(Self.intelSet) }
    }

    public func intelSets(detectorId: String?) throws -> [IntelSetRecord] {
        try pool.read { db in
            if let detectorId {
                return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM intelSet WHERE detectorId = ? ORDER BY createdAt, id"), arguments: [detectorId]).map(Self.intelSet)
            }
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM intelSet ORDER BY createdAt, id")).map(Self.intelSet)
        }
    }

    public func deleteIntelSet(id: String) throws {
        try pool.write { db in try db.cachedStatement(sql: "DELETE FROM intelSet WHERE id = ?").execute(arguments: [id]) }
    }

    static func intelSet(_ row: Row) -> IntelSetRecord {
        IntelSetRecord(kind: row["kind"], id: row["id"], detectorId: row["detectorId"], name: row["name"], format: row["format"],
                       location: row["location"], status: row["status"], errorDetails: row["errorDetails"], createdAt: row["createdAt"],
                       updatedAt: row["updatedAt"])
    }

    // MARK: Outbox

    static func enqueue(_ finding: Finding, _ publication: Publication, _ db: Database) throws {
        let body = publication.envelope(finding)
        for target in publication.targets(finding) {
            try db.cachedStatement(sql: "INSERT INTO outbox (target, body, attempts, nextAttempt) VALUES (?, ?, 0, ?)").execute(arguments: [target, body, publication.now.timeIntervalSince1970])
        }
    }

    @discardableResult
    public func enqueueDueUpdates(_ publication: Publication, interval: (String, String) -> TimeInterval) throws -> Int {
        try pool.write { db in
            var count = 0
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, accountId, region, body, publishedAt FROM finding WHERE unpublished = 1 AND archived = 0"))
            let now = publication.now.timeIntervalSince1970
            for row in rows {
                let published = row["publishedAt"] as Double? ?? 0
                guard now - published >= interval(row["accountId"], row["region"]),
                      var finding = FindingRevision.decode(row["body"]) else { continue }
                finding.service?.archived = false
                try Self.enqueue(finding, publication, db)
                try db.cachedStatement(sql: "UPDATE finding SET publishedAt = ?, unpublished = 0 WHERE id = ?").execute(arguments: [now, row["id"] as String])
                count += 1
            }
            return count
        }
    }

    public func dueDeliveries(now: Date, limit: Int) throws -> [OutboxItem] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT id, target, body, attempts FROM outbox WHERE nextAttempt <= ? ORDER BY id LIMIT ?"),
                             arguments: [now.timeIntervalSince1970, limit]).map {
                OutboxItem(id: $0["id"], target: $0["target"], body: $0["body"], attempts: $0["attempts"])
            }
        }
    }

    public func delivered(_ id: Int64) throws {
        try pool.write { db in try db.cachedStatement(sql: "DELETE FROM outbox WHERE id = ?").execute(arguments: [id]) }
    }

    public func deliveryFailed(_ id: Int64, nextAttempt: Date) throws {
        try pool.write { db in
            try db.cachedStatement(sql: "UPDATE outbox SET attempts = attempts + 1, nextAttempt = ? WHERE id = ?").execute(arguments: [nextAttempt.timeIntervalSince1970, id])
        }
    }

    public func outboxCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM outbox")) ?? 0 }
    }

    // MARK: Destinations

    public func saveDestination(_ d: DestinationRecord) throws {
        try pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO destination (id, detectorId, destinationArn, kmsKeyArn, status) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET destinationArn = excluded.destinationArn, kmsKeyArn = excluded.kmsKeyArn, status = excluded.status
                """).execute(arguments: [d.id, d.detectorId, d.destinationArn, d.kmsKeyArn, d.status])
        }
    }

    public func destination(id: String) throws -> DestinationRecord? {
        try pool.read { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM destination WHERE id = ?"), arguments: [id]).map(Self.destination) }
    }

    public func destinations(detectorId: String?) throws -> [DestinationRecord] {
        try pool.read { db in
            if let detectorId {
                return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM destination WHERE detectorId = ? ORDER BY id"), arguments: [detectorId]).map(Self.destination)
            }
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM destination ORDER BY id")).map(Self.destination)
        }
    }

    public func deleteDestination(id: String) throws {
        try pool.write { db in try db.cachedStatement(sql: "DELETE FROM destination WHERE id = ?").execute(arguments: [id]) }
    }

    static func destination(_ row: Row) -> DestinationRecord {
        DestinationRecord(id: row["id"], detectorId: row["detectorId"], destinationArn: row["destinationArn"], kmsKeyArn: row["kmsKeyArn"],
                          status: row["status"])
    }

    // MARK: Members

    public func saveMembership(_ m: Membership) throws {
        try pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO membership (administrator, member, email, status, invitationId, invitedAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(administrator, member) DO UPDATE SET email = excluded.email, status = excluded.status,
                    invitationId = excluded.invitationId, invitedAt = excluded.invitedAt, updatedAt = excluded.updatedAt
                """).execute(arguments: [m.administrator, m.member, m.email, m.status, m.invitationId, m.invitedAt, m.updatedAt])
        }
    }

    public func membership(administrator: String, member: String) throws -> Membership? {
        try pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM membership WHERE administrator = ? AND member = ?"), arguments: [administrator, member]).map(Self.membership)
        }
    }

    public func memberships(administrator: String) throws -> [Membership] {
        try pool.unsafeRead { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM membership WHERE administrator = ? ORDER BY member"), arguments: [administrator]).map(Self.membership)
        }
    }

    public func memberships(member: String) throws -> [Membership] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM membership WHERE member = ? ORDER BY administrator"), arguments: [member]).map(Self.membership)
        }
    }

    public func deleteMembership(administrator: String, member: String) throws {
        try pool.write { db in try db.cachedStatement(sql: "DELETE FROM membership WHERE administrator = ? AND member = ?").execute(arguments: [administrator, member]) }
    }

    static func membership(_ row: Row) -> Membership {
        Membership(administrator: row["administrator"], member: row["member"], email: row["email"], status: row["status"],
                   invitationId: row["invitationId"], invitedAt: row["invitedAt"], updatedAt: row["updatedAt"])
    }

    // MARK: Usage and tags

    public func usage(accountId: String) throws -> [UsageRecord] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM usage WHERE accountId = ? ORDER BY dataSource"), arguments: [accountId]).map {
                UsageRecord(accountId: $0["accountId"], dataSource: $0["dataSource"], records: $0["records"], bytes: $0["bytes"])
            }
        }
    }

    public func usageByResource(accountId: String) throws -> [UsageRecord] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM usageResource WHERE accountId = ? ORDER BY bytes DESC, resource"), arguments: [accountId]).map {
                UsageRecord(accountId: $0["accountId"], dataSource: $0["dataSource"], resource: $0["resource"], records: $0["records"], bytes: $0["bytes"],
                            lastAnalysedAt: $0["lastAnalysedAt"])
            }
        }
    }

    public func tags(resourceArn: String) throws -> [String: String] {
        try pool.read { db in
            let text = try String.fetchOne(db.cachedStatement(sql: "SELECT tags FROM resourceTag WHERE resourceArn = ?"), arguments: [resourceArn]) ?? "{}"
            return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        }
    }

    public func setTags(_ tags: [String: String], resourceArn: String) throws {
        try pool.write { db in
            try db.cachedStatement(sql: "INSERT INTO resourceTag (resourceArn, tags) VALUES (?, ?) ON CONFLICT(resourceArn) DO UPDATE SET tags = excluded.tags").execute(arguments: [resourceArn, Self.json(tags)])
        }
    }

    // MARK: Filters

    public func saveFilter(_ f: FilterRecord) throws {
        try pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO filter (detectorId, name, description, action, rank, criteria) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(detectorId, name) DO UPDATE SET description = excluded.description, action = excluded.action,
                    rank = excluded.rank, criteria = excluded.criteria
                """).execute(arguments: [f.detectorId, f.name, f.description, f.action, f.rank, f.criteria])
        }
    }

    public func filter(detectorId: String, name: String) throws -> FilterRecord? {
        try pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM filter WHERE detectorId = ? AND name = ?"), arguments: [detectorId, name]).map(Self.filter)
        }
    }

    public func filters(detectorId: String) throws -> [FilterRecord] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM filter WHERE detectorId = ? ORDER BY rank, name"), arguments: [detectorId]).map(Self.filter)
        }
    }

    public func deleteFilter(detectorId: String, name: String) throws {
        try pool.write { db in try db.cachedStatement(sql: "DELETE FROM filter WHERE detectorId = ? AND name = ?").execute(arguments: [detectorId, name]) }
    }

    static func filter(_ row: Row) -> FilterRecord {
        FilterRecord(detectorId: row["detectorId"], name: row["name"], description: row["description"], action: row["action"],
                     rank: row["rank"], criteria: row["criteria"])
    }

    // MARK: Feedback

    @discardableResult
    public func setFeedback(_ feedback: String, ids: [String], accountId: String) throws -> Int {
        try pool.write { db in
            var changed = 0
            for id in ids {
                guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT body, archived, detectedSeverity FROM finding WHERE id = ? AND accountId = ?"), arguments: [id, accountId]),
                      let finding = FindingRevision.decode(row["body"]) else { continue }
                let revised = FindingRevision.feedback(feedback, on: .init(finding: finding, archived: row["archived"], detectedSeverity: row["detectedSeverity"], feedback: nil))
                try db.cachedStatement(sql: "UPDATE finding SET body = ?, severity = ?, archived = ?, feedback = ?, detectedSeverity = ? WHERE id = ?")
                    .execute(arguments: [try FindingRevision.body(revised.finding), revised.finding.severity, revised.archived, feedback, revised.detectedSeverity, id])
                changed += 1
            }
            return changed
        }
    }

    static func json(_ tags: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(tags)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
