import VigilModel

/// A set of shards: the unit in which the nodes of a cluster share the analysis. Every account's
/// records fall in one of ``count`` shards (``shard(of:)``, the same on every node), and each
/// shard is analysed by the one node holding its lease, so all of an account's detector state
/// lives on one node — as it lives on one partition of one node's pipeline.
public struct ShardSet: Hashable, Sendable, CustomStringConvertible {
    /// Shards in a cluster (fixed: changing it would move accounts between shards).
    public static let count = 64

    /// Bit `n` set when shard `n` is in the set.
    public private(set) var bits: UInt64

    public init(bits: UInt64 = 0) { self.bits = bits }

    public init(_ shards: some Sequence<Int>) {
        bits = 0
        for shard in shards { insert(shard) }
    }

    public static let all = ShardSet(bits: .max)
    public static let none = ShardSet(bits: 0)

    /// The shard holding `account`'s records (a fixed mix of its number, stable across nodes and releases).
    @inline(__always)
    public static func shard(of account: AccountID) -> Int {
        Int(truncatingIfNeeded: (account.number &* 0x9E37_79B9_7F4A_7C15) >> 58)
    }

    /// The shard of an input named `path` whose records may belong to any account (a loose file):
    /// its owner reads it and hands other shards' records over.
    public static func shard(ofPath path: String) -> Int {
        Int(truncatingIfNeeded: ByteHash.fnv1a(path) % UInt64(count))
    }

    @inline(__always)
    public func contains(_ shard: Int) -> Bool { bits & (1 << UInt64(shard)) != 0 }

    @inline(__always)
    public func contains(account: AccountID) -> Bool { contains(Self.shard(of: account)) }

    public mutating func insert(_ shard: Int) {
        precondition((0..<Self.count).contains(shard), "shard \(shard) out of range")
        bits |= 1 << UInt64(shard)
    }

    public var isEmpty: Bool { bits == 0 }
    public var shards: [Int] { (0..<Self.count).filter(contains) }
    public var description: String { isEmpty ? "none" : shards.map(String.init).joined(separator: ",") }
}
