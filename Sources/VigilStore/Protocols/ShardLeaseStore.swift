import Foundation

/// How the nodes of a cluster share the shards (a store shared by every node: PostgreSQL).
public protocol ShardLeaseStore: Sendable {
    /// Starts a node: fences off any earlier process under the same name (its leases get new
    /// tokens, so its commits are refused) and records the node as alive.
    func joinCluster(node: String) throws

    /// One round, run by every node every few seconds: records the node's heartbeat, renews its
    /// leases for `ttl` seconds, takes free or expired shards up to its fair share (the shards
    /// divided among the nodes whose heartbeat is younger than `ttl`), and says which of its shards
    /// are beyond that share.
    func balanceShards(node: String, ttl: Double) throws -> ShardBalance

    /// Gives up shards (after their state was committed), for another node to take.
    func releaseShards(node: String, _ shards: [Int]) throws

    /// Leaves the cluster (a graceful shutdown): every lease released, the node no longer counted.
    func leaveCluster(node: String) throws

    /// Handed-over records waiting for the holder of `shards`, oldest first, at most `limit`.
    func handovers(shards: ShardSet, limit: Int) throws -> [Handover]

    /// Every shard's holder (`nil`: free) and lease expiry (read by the tests; operators read the table).
    func shardHolders() throws -> [(shard: Int, node: String?, expires: Date?)]
}
