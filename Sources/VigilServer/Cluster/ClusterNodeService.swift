import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import VigilPipeline
import VigilStore

/// Makes one `vigil serve` a node of a cluster sharing one PostgreSQL store: every
/// ``balanceInterval`` it renews its leases and takes or gives up shards to hold its fair share
/// (``ShardLeaseStore/balanceShards(node:ttl:)``), and every ``handoverInterval`` it analyses the
/// records other nodes handed to its shards.
///
/// The pipeline follows the leases: shards taken are analysed from the next record on (learned
/// state read back from the store as each account's first record arrives, files read from their
/// checkpoints); shards beyond the fair share are committed (learned state included) and then
/// released; shards lost — taken by another node after this one could not renew in time — are
/// forgotten, and the commit that would have written them is refused by their fencing tokens.
///
/// Started before the other services, so it stops after them: a graceful shutdown saves the
/// learned state under the node's leases, then leaves the cluster, and the other nodes take its
/// shards at their next round.
final class ClusterNodeService: ServiceLifecycle.Service, @unchecked Sendable {
    /// Seconds a lease lasts without renewal: a node that died is replaced after at most this
    /// long plus one ``balanceInterval``.
    static let leaseTime: Double = 15
    static let balanceInterval: Duration = .seconds(3)
    static let handoverInterval: Duration = .seconds(1)
    /// Handed-over inputs analysed in one commit.
    static let handoverBatch = 32

    let node: String
    let store: any ShardLeaseStore
    let pipeline: FindingPipeline
    let workers: NIOThreadPool
    let logger: Logger

    init(node: String, store: any ShardLeaseStore, pipeline: FindingPipeline, workers: NIOThreadPool, logger: Logger) {
        self.node = node
        self.store = store
        self.pipeline = pipeline
        self.workers = workers
        self.logger = logger
    }

    func run() async throws {
        var sinceBalance = Self.balanceInterval
        repeat {
            do {
                if sinceBalance >= Self.balanceInterval {
                    sinceBalance = .zero
                    try await workers.runIfActive { try self.balance() }
                }
                try await workers.runIfActive { try self.analyseHandovers() }
            } catch {
                logger.error("cluster node \(node): \(error)")
            }
            sinceBalance += Self.handoverInterval
        } while await GracefulPause.wait(Self.handoverInterval)
        do {
            try pipeline.exclusively { try pipeline.saveLearnedState(force: true) }
        } catch {
            logger.error("cluster node \(node): the learned state was not saved before leaving: \(error)")
        }
        do { try store.leaveCluster(node: node) } catch {
            logger.error("cluster node \(node) could not leave the cluster (its leases run out in \(Int(Self.leaseTime)) s): \(error)")
        }
    }

    /// One balancing round (see the type's description).
    func balance() throws {
        let balance = try store.balanceShards(node: node, ttl: Self.leaseTime)
        try pipeline.exclusively {
            let previous = pipeline.cluster?.leases ?? []
            let current = Set(balance.held)
            // Shards held before under a token that is no longer this node's: lost (perhaps taken back since).
            let lost = ShardSet(previous.filter { !current.contains($0) }.map(\.shard))
            pipeline.cluster = ClusterCommit(node: node, leases: balance.held)
            if !lost.isEmpty {
                logger.warning("cluster node \(node) lost shards \(lost): what it analysed of them is forgotten")
                pipeline.forget(keeping: ShardSet(bits: ~lost.bits))
            }
            let gained = balance.shards.bits & ~ShardSet(previous.map(\.shard)).bits
            if gained != 0 { logger.info("cluster node \(node) holds shards \(ShardSet(bits: gained)) (of \(balance.liveNodes) nodes)") }
            guard !balance.surplus.isEmpty else { return }
            // Their findings and learned state committed under the leases, then given up.
            try pipeline.saveLearnedState(force: true)
            let released = ShardSet(balance.surplus)
            pipeline.cluster = ClusterCommit(node: node, leases: balance.held.filter { !released.contains($0.shard) })
            pipeline.forget(keeping: ShardSet(bits: ~released.bits))
            try store.releaseShards(node: node, balance.surplus)
            logger.info("cluster node \(node) released shards \(released) to the \(balance.liveNodes) nodes alive")
        }
    }

    /// Analyses the records handed to this node's shards, a batch per commit.
    func analyseHandovers() throws {
        try pipeline.exclusively {
            guard let owned = pipeline.ownedShards, !owned.isEmpty else { return }
            let handovers = try store.handovers(shards: owned, limit: Self.handoverBatch)
            guard !handovers.isEmpty else { return }
            pipeline.read(handovers: handovers)
            try pipeline.commit(analysed: [], usage: [])
        }
    }
}
