import VigilDetection
import VigilLogs
import VigilModel
import VigilStore

/// Hands each record to the router of the partition its account belongs to: how an input whose
/// records may belong to any account (a loose file, an ingested body) is read while every
/// partition is paused, so each account's records still reach only its own partition's analysis,
/// in order.
///
/// On a cluster node, a record whose account's shard the node does not hold is not analysed: its
/// shard is noted in ``handedOver`` (the input goes to that shard's holder); reading a handed-over
/// input (``only``), records of other shards are passed over — their own handovers carry them.
final class AccountDispatcher: LogRecordHandler {
    let routers: [AccountRouter]
    let placement: AccountPlacement
    /// The shards this node holds (`nil`: every account is analysed here).
    var owned: ShardSet?
    /// While reading a handed-over input: its shard, the only one analysed.
    var only: Int?
    /// Shards of records not analysed since the last ``startInput()``.
    private(set) var handedOver = ShardSet.none

    init(routers: [AccountRouter], placement: AccountPlacement) {
        self.routers = routers
        self.placement = placement
    }

    func startInput(only shard: Int? = nil) {
        handedOver = .none
        only = shard
    }

    /// The router for `account`'s records, or `nil` when they are not analysed on this node.
    @inline(__always)
    func router(_ account: AccountID) -> AccountRouter? {
        if owned != nil || only != nil {
            let shard = ShardSet.shard(of: account)
            if let only, shard != only { return nil }
            if let owned, !owned.contains(shard) {
                handedOver.insert(shard)
                return nil
            }
        }
        return routers.count == 1 ? routers[0] : routers[placement.partition(of: account)]
    }

    func handle<Record: LogRecord>(_ record: inout Record, source: LogSource) {
        let account = record.account(in: source)
        router(account)?.handle(&record, source: source, account: account)
    }
}

/// Which partition each account's records go to: an account new to the pipeline goes to the
/// partition holding the fewest accounts (the lowest-numbered among equals), and stays there — its
/// detector state lives in that partition's analysis. Which partition holds an account changes only
/// the thread its records are read on, never the findings. Used only while the partitions are
/// paused or not yet started (from the thread coordinating them).
final class AccountPlacement {
    private var owners: [AccountID: Int] = [:]
    private var held: [Int]

    init(partitions: Int) { held = [Int](repeating: 0, count: partitions) }

    func partition(of account: AccountID) -> Int {
        if let known = owners[account] { return known }
        var chosen = 0
        for p in held.indices where held[p] < held[chosen] { chosen = p }
        held[chosen] += 1
        owners[account] = chosen
        return chosen
    }
}
