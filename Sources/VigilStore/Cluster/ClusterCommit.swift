/// What a cluster node adds to an analysis commit: the leases it commits under (the commit is
/// refused with ``LeaseLost`` unless the node still holds every one with the same token), the
/// records it hands to other shards' holders, and the handovers it analysed (deleted).
public struct ClusterCommit: Sendable {
    public var node: String
    public var leases: [ShardLease]
    public var handOver: [Handover] = []
    public var consumed: [Int64] = []

    public init(node: String, leases: [ShardLease]) {
        self.node = node
        self.leases = leases
    }
}

/// A commit refused because the node no longer holds a lease it committed under (it expired and
/// another node took the shard): nothing of the commit was written.
public struct LeaseLost: Error, CustomStringConvertible {
    public var node: String
    public var shards: [Int]

    public init(node: String, shards: [Int]) {
        self.node = node
        self.shards = shards
    }

    public var description: String { "node \(node) no longer holds shards \(shards.map(String.init).joined(separator: ",")); the commit was refused" }
}
