import Foundation
import PostgresNIO
import VigilStore

// Shard leases: every balancing round runs under one advisory lock (rounds are short and a few
// seconds apart), so the nodes see one another's claims in order; a commit locks its node's lease
// rows (`FOR SHARE`) while it checks their tokens, so a takeover waits for a commit in progress and
// a commit after a takeover is refused.
extension PostgresFindingStore: ShardLeaseStore {
    public func joinCluster(node: String) throws {
        try transaction { db in
            try db.run("SELECT pg_advisory_xact_lock(7310002)")
            try db.run("INSERT INTO vigilNode (node, seen) VALUES ($1, now()) ON CONFLICT (node) DO UPDATE SET seen = now()", [.text(node)])
            // An earlier process under this name (killed, or paused and still running) can no longer commit.
            try db.run("UPDATE vigilShardLease SET token = nextval('vigilLeaseToken') WHERE owner = $1", [.text(node)])
        }
    }

    public func balanceShards(node: String, ttl: Double) throws -> ShardBalance {
        try transaction { db in
            try db.run("SELECT pg_advisory_xact_lock(7310002)")
            try db.run("INSERT INTO vigilNode (node, seen) VALUES ($1, now()) ON CONFLICT (node) DO UPDATE SET seen = now()", [.text(node)])
            try db.run("UPDATE vigilShardLease SET expires = now() + make_interval(secs => $2) WHERE owner = $1", [.text(node), .real(ttl)])
            // The live nodes, in name order: the first `count % live` hold one shard more than the others.
            let live = try db.rows("SELECT node FROM vigilNode WHERE seen > now() - make_interval(secs => $1) ORDER BY node", [.real(ttl)])
                .map { try $0.decode(String.self) }
            let position = live.firstIndex(of: node) ?? 0
            let share = ShardSet.count / max(live.count, 1) + (position < ShardSet.count % max(live.count, 1) ? 1 : 0)
            let mine = try db.rows("SELECT shard FROM vigilShardLease WHERE owner = $1 ORDER BY shard", [.text(node)]).map { try $0.decode(Int.self) }
            if mine.count < share {
                // Free shards (never held, released, or whose holder's lease ran out), lowest first.
                try db.run("""
                    UPDATE vigilShardLease SET owner = $1, token = nextval('vigilLeaseToken'), expires = now() + make_interval(secs => $2)
                    WHERE shard IN (SELECT shard FROM vigilShardLease WHERE owner IS NULL OR expires < now() ORDER BY shard LIMIT $3)
                    """, [.text(node), .real(ttl), .integer(share - mine.count)])
            }
            let held = try db.rows("SELECT shard, token FROM vigilShardLease WHERE owner = $1 ORDER BY shard", [.text(node)]).map {
                let (shard, token) = try $0.decode((Int, Int64).self)
                return ShardLease(shard: shard, token: token)
            }
            // Beyond the share: more nodes are alive than when these were taken.
            let surplus = held.count > share ? Array(held.suffix(held.count - share).map(\.shard)) : []
            return ShardBalance(held: held, surplus: surplus, liveNodes: live.count)
        }
    }

    public func releaseShards(node: String, _ shards: [Int]) throws {
        guard !shards.isEmpty else { return }
        try transaction { db in
            try db.run("SELECT pg_advisory_xact_lock(7310002)")
            try db.run("UPDATE vigilShardLease SET owner = NULL, expires = '-infinity' WHERE owner = $1 AND shard = ANY($2)",
                       [.text(node), .integers(shards)])
        }
    }

    public func leaveCluster(node: String) throws {
        try transaction { db in
            try db.run("SELECT pg_advisory_xact_lock(7310002)")
            try db.run("UPDATE vigilShardLease SET owner = NULL, expires = '-infinity' WHERE owner = $1", [.text(node)])
            try db.run("DELETE FROM vigilNode WHERE node = $1", [.text(node)])
        }
    }

    public func handovers(shards: ShardSet, limit: Int) throws -> [Handover] {
        guard !shards.isEmpty else { return [] }
        return try session { db in
            try db.rows("SELECT id, shard, path, kind, body FROM vigilHandover WHERE shard = ANY($1) ORDER BY id LIMIT $2",
                        [.integers(shards.shards), .integer(limit)]).map {
                let (id, shard, path, kind, body) = try $0.decode((Int64, Int, String, String?, ByteBuffer).self)
                return Handover(id: id, shard: shard, path: path, kind: kind, bytes: Array(buffer: body))
            }
        }
    }

    public func shardHolders() throws -> [(shard: Int, node: String?, expires: Date?)] {
        try session { db in
            try db.rows("SELECT shard, owner, CASE WHEN expires = '-infinity' THEN NULL ELSE extract(epoch FROM expires)::float8 END FROM vigilShardLease ORDER BY shard")
                .map {
                    let (shard, owner, expires) = try $0.decode((Int, String?, Double?).self)
                    return (shard, owner, expires.map { Date(timeIntervalSince1970: $0) })
                }
        }
    }

    /// Refuses the commit (``LeaseLost``) unless the node holds every lease it commits under with
    /// the same token; the rows stay locked until the commit ends.
    static func fence(_ cluster: ClusterCommit, _ db: PostgresConnection) throws {
        guard !cluster.leases.isEmpty else { return }
        let held = Set(try db.rows("SELECT shard, token FROM vigilShardLease WHERE owner = $1 AND shard = ANY($2) FOR SHARE",
                                   [.text(cluster.node), .integers(cluster.leases.map(\.shard))]).map {
            let (shard, token) = try $0.decode((Int, Int64).self)
            return ShardLease(shard: shard, token: token)
        })
        let lost = cluster.leases.filter { !held.contains($0) }
        guard lost.isEmpty else { throw LeaseLost(node: cluster.node, shards: lost.map(\.shard)) }
    }

    /// Writes the records handed to other shards and deletes the handovers analysed.
    static func writeHandovers(_ cluster: ClusterCommit, _ db: PostgresConnection) throws {
        for handover in cluster.handOver {
            try db.run("INSERT INTO vigilHandover (shard, path, kind, body) VALUES ($1, $2, $3, $4)",
                       [.integer(handover.shard), .text(handover.path), .text(handover.kind), .bytes(Data(handover.bytes))])
        }
        if !cluster.consumed.isEmpty {
            try db.run("DELETE FROM vigilHandover WHERE id = ANY($1)", [.integers(cluster.consumed.map(Int.init))])
        }
    }
}
