/// A node's hold on one shard: while it lasts only this node analyses the shard's accounts, and
/// only commits carrying its `token` are accepted for them. Every new holder gets a larger token,
/// so a node that paused past its lease and comes back cannot commit over its successor's work
/// (the token is a fencing token).
public struct ShardLease: Hashable, Sendable {
    public let shard: Int
    public let token: Int64

    public init(shard: Int, token: Int64) {
        self.shard = shard
        self.token = token
    }
}
