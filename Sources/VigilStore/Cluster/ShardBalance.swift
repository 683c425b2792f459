/// A node's part of the shards after a round of ``ShardLeaseStore/balanceShards(node:ttl:)``.
public struct ShardBalance: Sendable, Equatable {
    /// The leases the node holds (renewed by the round).
    public var held: [ShardLease]
    /// Shards the node holds beyond its fair share, now that more nodes are alive: it should
    /// commit what it learned of them and ``ShardLeaseStore/releaseShards(node:_:)`` them.
    public var surplus: [Int]
    /// Nodes alive (heartbeat within the lease time), this one included.
    public var liveNodes: Int

    public init(held: [ShardLease], surplus: [Int], liveNodes: Int) {
        self.held = held
        self.surplus = surplus
        self.liveNodes = liveNodes
    }

    public var shards: ShardSet { ShardSet(held.map(\.shard)) }
}
