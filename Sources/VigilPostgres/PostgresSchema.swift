import Foundation
import VigilStore

/// The PostgreSQL schema, created and migrated in code: each migration runs once, in order, in
/// one transaction holding an advisory lock, so nodes started together migrate once.
///
/// Findings keep the columns SQLite keeps beside the JSON (`body` is `jsonb` here, so JSON-path
/// criteria read it without parsing text); `findingCount` is kept by triggers as in SQLite, so
/// statistics read summary rows; retention deletes in batches by `storedAt` (indexed), so it never
/// holds the table for long.
enum PostgresSchema {
    /// `(version, statements)`, applied in order.
    static let migrations: [(version: Int, sql: String)] = [
        (1, """
        CREATE TABLE detector (
            id text COLLATE "C" PRIMARY KEY, accountId text COLLATE "C" NOT NULL, region text COLLATE "C" NOT NULL, status text COLLATE "C" NOT NULL,
            findingPublishingFrequency text COLLATE "C" NOT NULL, createdAt text COLLATE "C" NOT NULL, updatedAt text COLLATE "C" NOT NULL,
            settings text COLLATE "C", secondary boolean NOT NULL DEFAULT false);
        CREATE UNIQUE INDEX detector_account_region ON detector (accountId, region) WHERE NOT secondary;
        CREATE TABLE finding (
            id text COLLATE "C" PRIMARY KEY, accountId text COLLATE "C" NOT NULL, region text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL,
            severity float8 NOT NULL, archived boolean NOT NULL DEFAULT false, updatedAt text COLLATE "C" NOT NULL,
            storedAt float8 NOT NULL, body jsonb NOT NULL, detectedSeverity float8, feedback text COLLATE "C",
            publishedAt float8, unpublished boolean NOT NULL DEFAULT false,
            createdAt text COLLATE "C", resourceType text COLLATE "C", instanceId text COLLATE "C", accessKeyId text COLLATE "C", bucketName text COLLATE "C", eventLastSeen text COLLATE "C");
        CREATE INDEX finding_stored ON finding (storedAt);
        CREATE INDEX finding_scope_updated ON finding (accountId, region, updatedAt, severity, archived, type, id);
        CREATE INDEX finding_scope_type ON finding (accountId, region, type);
        CREATE INDEX finding_scope_severity ON finding (accountId, region, severity);
        CREATE INDEX finding_statistics ON finding (accountId, region, archived, severity, type, updatedAt);
        CREATE INDEX finding_unpublished ON finding (id) WHERE unpublished AND NOT archived;
        CREATE TABLE checkpoint (path text COLLATE "C" PRIMARY KEY, size bigint NOT NULL, modified float8 NOT NULL, tag text COLLATE "C");
        CREATE TABLE filter (
            detectorId text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL, description text COLLATE "C", action text COLLATE "C" NOT NULL, rank bigint NOT NULL,
            criteria text COLLATE "C" NOT NULL, PRIMARY KEY (detectorId, name));
        CREATE TABLE usage (
            accountId text COLLATE "C" NOT NULL, dataSource text COLLATE "C" NOT NULL, records bigint NOT NULL, bytes bigint NOT NULL,
            PRIMARY KEY (accountId, dataSource));
        CREATE TABLE usageResource (
            accountId text COLLATE "C" NOT NULL, dataSource text COLLATE "C" NOT NULL, resource text COLLATE "C" NOT NULL, records bigint NOT NULL,
            bytes bigint NOT NULL, lastAnalysedAt float8, PRIMARY KEY (accountId, dataSource, resource));
        CREATE TABLE resourceTag (resourceArn text COLLATE "C" PRIMARY KEY, tags text COLLATE "C" NOT NULL);
        CREATE TABLE intelSet (
            id text COLLATE "C" PRIMARY KEY, kind text COLLATE "C" NOT NULL, detectorId text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL, format text COLLATE "C" NOT NULL,
            location text COLLATE "C" NOT NULL, status text COLLATE "C" NOT NULL, errorDetails text COLLATE "C", createdAt text COLLATE "C" NOT NULL, updatedAt text COLLATE "C" NOT NULL);
        CREATE TABLE outbox (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, target text COLLATE "C" NOT NULL, body text COLLATE "C" NOT NULL,
            attempts bigint NOT NULL DEFAULT 0, nextAttempt float8 NOT NULL);
        CREATE INDEX outbox_due ON outbox (nextAttempt);
        CREATE TABLE membership (
            administrator text COLLATE "C" NOT NULL, member text COLLATE "C" NOT NULL, email text COLLATE "C" NOT NULL, status text COLLATE "C" NOT NULL,
            invitationId text COLLATE "C", invitedAt text COLLATE "C", updatedAt text COLLATE "C" NOT NULL, PRIMARY KEY (administrator, member));
        CREATE TABLE destination (
            id text COLLATE "C" PRIMARY KEY, detectorId text COLLATE "C" NOT NULL, destinationArn text COLLATE "C" NOT NULL, kmsKeyArn text COLLATE "C", status text COLLATE "C" NOT NULL);
        CREATE TABLE learnedState (detector text COLLATE "C" PRIMARY KEY, state bytea NOT NULL, savedAt float8 NOT NULL);
        CREATE TABLE organizationAdmin (
            managementAccountId text COLLATE "C" NOT NULL, adminAccountId text COLLATE "C" NOT NULL, status text COLLATE "C" NOT NULL,
            PRIMARY KEY (managementAccountId, adminAccountId));

        -- ISO-8601 text as epoch milliseconds (SQLite's julianday arithmetic), NULL when it is not a time.
        CREATE FUNCTION vigil_epoch_ms(value text) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF value IS NULL OR value !~ '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?(Z|[+-]\\d{2}:?\\d{2})?$' THEN RETURN NULL; END IF;
            RETURN extract(epoch FROM (CASE WHEN value ~ '(Z|[+-]\\d{2}:?\\d{2})$' THEN value ELSE value || 'Z' END)::timestamptz) * 1000.0;
        EXCEPTION WHEN others THEN RETURN NULL;
        END $$;
        -- A text holding a plain decimal number as that number, NULL otherwise.
        CREATE FUNCTION vigil_number(value text) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF value IS NULL OR value !~ '^[0-9.-][0-9.eE+-]*$' THEN RETURN NULL; END IF;
            RETURN value::float8;
        EXCEPTION WHEN others THEN RETURN NULL;
        END $$;

        -- Finding counts by account, region, archived, severity and type, kept by a trigger.
        CREATE TABLE findingCount (
            accountId text COLLATE "C" NOT NULL, region text COLLATE "C" NOT NULL, archived boolean NOT NULL, severity float8 NOT NULL, type text COLLATE "C" NOT NULL,
            n bigint NOT NULL, last text COLLATE "C" NOT NULL, PRIMARY KEY (accountId, region, archived, severity, type));
        CREATE FUNCTION vigil_finding_count() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                IF TG_OP = 'UPDATE' AND (OLD.accountId, OLD.region, OLD.archived, OLD.severity, OLD.type)
                        IS NOT DISTINCT FROM (NEW.accountId, NEW.region, NEW.archived, NEW.severity, NEW.type) THEN
                    IF NEW.updatedAt IS DISTINCT FROM OLD.updatedAt THEN
                        UPDATE findingCount c SET last = CASE WHEN NEW.updatedAt >= c.last THEN NEW.updatedAt
                            WHEN OLD.updatedAt < c.last THEN c.last
                            ELSE coalesce((SELECT max(f.updatedAt) FROM finding f WHERE f.accountId = NEW.accountId AND f.region = NEW.region
                                AND f.archived = NEW.archived AND f.severity = NEW.severity AND f.type = NEW.type), '') END
                        WHERE c.accountId = NEW.accountId AND c.region = NEW.region AND c.archived = NEW.archived
                            AND c.severity = NEW.severity AND c.type = NEW.type;
                    END IF;
                    RETURN NULL;
                END IF;
                UPDATE findingCount c SET n = c.n - 1,
                    last = CASE WHEN OLD.updatedAt < c.last THEN c.last ELSE coalesce((SELECT max(f.updatedAt) FROM finding f
                        WHERE f.accountId = OLD.accountId AND f.region = OLD.region AND f.archived = OLD.archived
                        AND f.severity = OLD.severity AND f.type = OLD.type), '') END
                WHERE c.accountId = OLD.accountId AND c.region = OLD.region AND c.archived = OLD.archived
                    AND c.severity = OLD.severity AND c.type = OLD.type;
                DELETE FROM findingCount c WHERE c.accountId = OLD.accountId AND c.region = OLD.region AND c.archived = OLD.archived
                    AND c.severity = OLD.severity AND c.type = OLD.type AND c.n <= 0;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO findingCount AS c VALUES (NEW.accountId, NEW.region, NEW.archived, NEW.severity, NEW.type, 1, NEW.updatedAt)
                ON CONFLICT (accountId, region, archived, severity, type) DO UPDATE SET n = c.n + 1, last = greatest(c.last, EXCLUDED.last);
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER finding_count AFTER INSERT OR DELETE OR UPDATE OF accountId, region, archived, severity, type, updatedAt
            ON finding FOR EACH ROW EXECUTE FUNCTION vigil_finding_count();
        """),
        // Clusters: nodes and their heartbeats, one lease row per shard (fencing tokens from one
        // sequence), and records handed from the node that read them to their shard's holder.
        (2, """
        CREATE TABLE vigilNode (node text COLLATE "C" PRIMARY KEY, seen timestamptz NOT NULL);
        CREATE SEQUENCE vigilLeaseToken;
        CREATE TABLE vigilShardLease (shard int PRIMARY KEY, owner text COLLATE "C", token bigint NOT NULL DEFAULT 0,
            expires timestamptz NOT NULL DEFAULT '-infinity');
        INSERT INTO vigilShardLease (shard) SELECT generate_series(0, \(ShardSet.count - 1));
        CREATE TABLE vigilHandover (id bigserial PRIMARY KEY, shard int NOT NULL, path text COLLATE "C" NOT NULL, kind text COLLATE "C",
            body bytea NOT NULL, createdAt timestamptz NOT NULL DEFAULT now());
        CREATE INDEX vigilHandover_shard ON vigilHandover (shard, id);
        """),
    ]
}

extension PostgresSchema {
    /// The statements of a migration's text, split at each `;` that ends a line outside a
    /// `$$ … $$` function body (the extended query protocol takes one statement at a time).
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inBody = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            current += line + "\n"
            var rest = Substring(line)
            while let range = rest.range(of: "$$") {
                inBody.toggle()
                rest = rest[range.upperBound...]
            }
            if !inBody, line.hasSuffix(";") {
                statements.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            }
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }
}
