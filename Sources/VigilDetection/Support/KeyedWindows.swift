import VigilModel

/// Per-key state that lives for a window of event time, in a table of bounded size — the shared
/// mechanism behind the per-instance DNS rules, denial of service and the DNS-bypass rules (and any
/// rule whose state is richer than a distinct count; see ``WindowedDistinctCounter`` for those).
///
/// A key's state starts at its first update and is replaced by a fresh one once `window` seconds
/// of event time have passed. Open addressing over flat arrays, so an update is one or two probes
/// and no allocation. Slots are chosen by the key mixed with a secret drawn per table, so keys an
/// attacker shapes (the addresses of spoofed flows) cannot be made to crowd one neighbourhood of
/// the table and turn each probe into a scan. The table starts at 64 slots on
/// first use and doubles as keys arrive, up to room for `capacity` keys: when that is full it is
/// cleared (``evictions`` counts the keys dropped), so a flood of new keys can blind a rule for a
/// window but never grow memory past its bound, while a table that sees few keys stays small.
public struct KeyedWindows<State> {
    public let window: Int64
    public let capacity: Int
    private var keys: [UInt64]
    private var starts: [Int64]
    private var states: [State]
    /// The most slots the table grows to.
    private let maximumSize: Int
    private var mask: Int
    private let fresh: () -> State
    private let seed = UInt64.random(in: .min ... .max)
    public private(set) var count = 0
    /// Keys dropped to make room.
    public private(set) var evictions = 0

    public init(window: Int64, capacity: Int, fresh: @escaping () -> State) {
        precondition(window > 0 && capacity > 0)
        self.window = window
        var size = 16
        while size < capacity * 2 { size *= 2 }
        self.capacity = size / 2
        self.fresh = fresh
        maximumSize = size
        mask = Swift.min(size, 64) - 1
        // Allocated on first use: most tables of a scan never see a key.
        keys = []
        starts = []
        states = []
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: WordHash.mix(key ^ seed)) & mask
    }

    /// Runs `body` on the state of `key` at `time` (seconds), starting a fresh window when needed.
    public mutating func update<R>(_ rawKey: UInt64, at time: Int64, _ body: (inout State) -> R) -> R {
        let key = rawKey == 0 ? 1 : rawKey  // 0 marks an empty slot
        if keys.isEmpty {
            keys = [UInt64](repeating: 0, count: mask + 1)
            starts = [Int64](repeating: 0, count: mask + 1)
            states = [State](repeating: fresh(), count: mask + 1)
        }
        var i = home(key)
        while true {
            let slot = keys[i]
            if slot == key {
                if time - starts[i] >= window || time < starts[i] - window {
                    starts[i] = time
                    states[i] = fresh()
                }
                return body(&states[i])
            }
            if slot == 0 { break }
            i = (i + 1) & mask
        }
        if count * 2 >= keys.count {
            if keys.count < maximumSize {
                grow()
            } else {
                evictions += count
                for j in keys.indices { keys[j] = 0 }
                count = 0
            }
            i = home(key)
            while keys[i] != 0 { i = (i + 1) & mask }
        }
        keys[i] = key
        starts[i] = time
        states[i] = fresh()
        count += 1
        return body(&states[i])
    }
}

extension KeyedWindows {
    /// Doubles the table, keeping every key's state and window.
    private mutating func grow() {
        let (oldKeys, oldStarts, oldStates) = (keys, starts, states)
        let size = oldKeys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        starts = [Int64](repeating: 0, count: size)
        states = [State](repeating: fresh(), count: size)
        mask = size - 1
        for j in oldKeys.indices where oldKeys[j] != 0 {
            var i = home(oldKeys[j])
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            starts[i] = oldStarts[j]
            states[i] = oldStates[j]
        }
    }
}

/// A small set of 64-bit hashes, exact up to `limit` members (then it stops growing) — for
/// "distinct names" counts that need only reach a threshold.
public struct SmallHashSet: Sendable {
    public private(set) var members: [UInt64] = []
    public let limit: Int
    public init(limit: Int) { self.limit = limit }
    /// Inserts `hash`; returns whether it was new.
    @discardableResult
    public mutating func insert(_ hash: UInt64) -> Bool {
        if members.contains(hash) || members.count >= limit { return false }
        members.append(hash)
        return true
    }
    public var count: Int { members.count }
}
