/// `--node-id` given with a store that cannot be shared between nodes.
public struct ClusterUnavailable: Error, CustomStringConvertible {
    public var store: String
    public var description: String {
        "a cluster node (--node-id) needs a store every node shares: --store postgres://… (this one is \(store))"
    }
}
