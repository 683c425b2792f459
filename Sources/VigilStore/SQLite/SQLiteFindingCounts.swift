import GRDB

/// Finding counts kept up to date by triggers as findings are merged, archived and deleted, so
/// statistics (by severity, type or account) read a few summary rows instead of counting every
/// finding: `findingCount` holds, for each account, region, archived flag, severity and type, how
/// many findings there are and the latest update among them.
///
/// A selection is answered here when it tests only the columns the summary keeps
/// (``FindingSelection/isCountedFromSummary(by:)``); anything else is counted over the findings themselves.
enum SQLiteFindingCounts {
    /// The grouped counts of `selection` (which must be ``FindingSelection/isCountedFromSummary(by:)``).
    static func groups(_ db: Database, _ selection: FindingSelection, by grouping: FindingSelection.Grouping) throws
        -> [(key: String, count: Int, last: String)] {
        let key = switch grouping {
        case .account: "accountId"
        case .type: "type"
        case .severity: "CAST(severity AS TEXT)"
        case .date, .resource: preconditionFailure("counts by \(grouping) are not kept")
        }
        var statement = SQLStatement(.sqlite)
        let clause = selection.whereClause(&statement)
        return try Row.fetchAll(db, sql: """
            SELECT \(key) AS k, sum(n) AS n, max(last) AS last FROM findingCount WHERE \(clause) GROUP BY k HAVING sum(n) > 0
            """, arguments: SQLiteFindingStore.arguments(statement)).map { row in
            (row["k"] ?? "unknown", row["n"], row["last"] ?? "")
        }
    }

    /// The summary table, the triggers that keep it and its first filling. A finding leaving a group
    /// (deleted, archived, re-rated) lowers the group's count; when it was the group's latest, the
    /// latest is looked up again in `finding_statistics`, which is ordered by the group's columns.
    static let schema = """
        CREATE TABLE findingCount (
            accountId TEXT NOT NULL, region TEXT NOT NULL, archived BOOLEAN NOT NULL, severity DOUBLE NOT NULL, type TEXT NOT NULL,
            n INTEGER NOT NULL, last TEXT NOT NULL,
            PRIMARY KEY (accountId, region, archived, severity, type)) WITHOUT ROWID;
        INSERT INTO findingCount SELECT accountId, region, archived, severity, type, count(*), max(updatedAt)
            FROM finding GROUP BY accountId, region, archived, severity, type;
        CREATE TRIGGER findingCount_insert AFTER INSERT ON finding BEGIN
            INSERT INTO findingCount VALUES (new.accountId, new.region, new.archived, new.severity, new.type, 1, new.updatedAt)
            ON CONFLICT DO UPDATE SET n = n + 1, last = max(last, excluded.last);
        END;
        CREATE TRIGGER findingCount_delete AFTER DELETE ON finding BEGIN
            UPDATE findingCount SET n = n - 1,
                last = CASE WHEN old.updatedAt < last THEN last ELSE coalesce((SELECT max(updatedAt) FROM finding
                    WHERE accountId = old.accountId AND region = old.region AND archived = old.archived AND severity = old.severity
                    AND type = old.type), '') END
            WHERE accountId = old.accountId AND region = old.region AND archived = old.archived AND severity = old.severity AND type = old.type;
            DELETE FROM findingCount WHERE accountId = old.accountId AND region = old.region AND archived = old.archived
                AND severity = old.severity AND type = old.type AND n <= 0;
        END;
        CREATE TRIGGER findingCount_move AFTER UPDATE OF accountId, region, archived, severity, type ON finding
        WHEN old.accountId IS NOT new.accountId OR old.region IS NOT new.region OR old.archived IS NOT new.archived
            OR old.severity IS NOT new.severity OR old.type IS NOT new.type BEGIN
            UPDATE findingCount SET n = n - 1,
                last = CASE WHEN old.updatedAt < last THEN last ELSE coalesce((SELECT max(updatedAt) FROM finding
                    WHERE accountId = old.accountId AND region = old.region AND archived = old.archived AND severity = old.severity
                    AND type = old.type), '') END
            WHERE accountId = old.accountId AND region = old.region AND archived = old.archived AND severity = old.severity AND type = old.type;
            DELETE FROM findingCount WHERE accountId = old.accountId AND region = old.region AND archived = old.archived
                AND severity = old.severity AND type = old.type AND n <= 0;
            INSERT INTO findingCount VALUES (new.accountId, new.region, new.archived, new.severity, new.type, 1, new.updatedAt)
            ON CONFLICT DO UPDATE SET n = n + 1, last = max(last, excluded.last);
        END;
        CREATE TRIGGER findingCount_touch AFTER UPDATE OF updatedAt ON finding
        WHEN old.updatedAt IS NOT new.updatedAt AND old.accountId IS new.accountId AND old.region IS new.region
            AND old.archived IS new.archived AND old.severity IS new.severity AND old.type IS new.type BEGIN
            UPDATE findingCount SET last = CASE WHEN new.updatedAt >= last THEN new.updatedAt
                WHEN old.updatedAt < last THEN last
                ELSE coalesce((SELECT max(updatedAt) FROM finding WHERE accountId = new.accountId AND region = new.region
                    AND archived = new.archived AND severity = new.severity AND type = new.type), '') END
            WHERE accountId = new.accountId AND region = new.region AND archived = new.archived AND severity = new.severity AND type = new.type;
        END;
        """
}
