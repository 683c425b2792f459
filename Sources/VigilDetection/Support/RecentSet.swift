import VigilModel

/// Remembers recently seen byte strings (event IDs) by a 64-bit hash keyed with a secret drawn
/// per set, in two generations of open-addressed tables: a key is "seen" if either generation
/// holds it. Tables start small and double as they fill, up to `capacity` keys a generation; then
/// the current generation becomes the previous one and a fresh one starts. So memory is bounded
/// (at most two tables of `2 × capacity` slots of 8 bytes, the previous one kept while it is
/// read), and at least the last `capacity` keys are always remembered. A lookup reads both
/// generations' first slots before comparing either, so a key that misses both caches costs one
/// memory latency, not two. Not thread-safe: one set per thread of analysis.
public final class RecentSet {
    private var current: UnsafeMutableBufferPointer<UInt64>
    private var previous: UnsafeMutableBufferPointer<UInt64>
    private var count = 0
    private let capacity: Int
    /// Keys the hash, so that records cannot be crafted to collide with each other.
    private let seed = UInt64.random(in: .min ... .max)

    public init(capacity: Int) {
        var limit = 1024
        while limit < capacity { limit *= 2 }
        self.capacity = limit
        current = Self.table(slots: 2048)
        previous = Self.table(slots: 1)  // empty until the first generation is complete
    }

    deinit {
        current.deallocate()
        previous.deallocate()
    }

    /// Inserts `bytes` (with `salt`, which tells apart the same bytes in different roles); returns
    /// `false` if they were seen within the window.
    public func insert(_ bytes: UnsafeRawBufferPointer, salt: UInt64 = 0) -> Bool {
        let hashed = WordHash.hash(bytes, seed: seed ^ salt)
        let key = hashed == 0 ? 1 : hashed  // 0 marks an empty slot
        let home = Int(truncatingIfNeeded: key ^ (key >> 29))
        let currentMask = current.count - 1, previousMask = previous.count - 1
        var i = home & currentMask, j = home & previousMask
        // Both first slots are read before either is compared: the two loads overlap.
        var slot = current[i]
        let old = previous[j]
        if old != 0 {
            if old == key { return false }
            var k = (j + 1) & previousMask
            while previous[k] != 0 {
                if previous[k] == key { return false }
                k = (k + 1) & previousMask
            }
        }
        while slot != 0 {
            if slot == key { return false }
            i = (i + 1) & currentMask
            slot = current[i]
        }
        current[i] = key
        count += 1
        if count * 2 >= current.count { grow() }
        return true
    }

    private func grow() {
        if current.count < capacity * 2 {
            let grown = Self.table(slots: current.count * 2)
            let mask = grown.count - 1
            for key in current where key != 0 {
                var i = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
                while grown[i] != 0 { i = (i + 1) & mask }
                grown[i] = key
            }
            current.deallocate()
            current = grown
        } else {
            previous.deallocate()
            previous = current
            current = Self.table(slots: capacity * 2)
            count = 0
        }
    }

    private static func table(slots: Int) -> UnsafeMutableBufferPointer<UInt64> {
        let table = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: slots)
        table.initialize(repeating: 0)
        return table
    }
}
