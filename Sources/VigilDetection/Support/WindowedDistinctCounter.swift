import Foundation
import VigilModel

/// Counts distinct values per key within a time window, in bounded memory — the shared primitive
/// behind scan, sweep and brute-force detection (Zeek's SumStats, narrowed to what those need).
///
/// Each key holds a 256-bit set of hashed values, and the distinct count is estimated from the
/// bits set by linear counting (`-m ln(1 - b/m)`), exact while values do not collide and within
/// about one value at the thresholds used here (≤ 100). An update is one probe into an
/// open-addressed table of 48-byte slots, placed by the key mixed with a secret drawn per
/// table — integers only, no allocation. A key's window
/// starts at its first value and lasts `window` seconds of event time; it fires once per window.
/// The table starts small and doubles as keys arrive, up to room for `capacity` keys; when that
/// is full it is cleared, so a flood of unique keys can blind it for a window but never grow
/// memory past its bound — and a counter that sees few keys (one small account's) holds a few KB.
public struct WindowedDistinctCounter {
    public let window: Int64
    public let threshold: Int
    public let capacity: Int

    struct Slot {
        var key: UInt64
        var start: Int64
        var bits: (UInt64, UInt64, UInt64, UInt64)
        static let fired: (UInt64, UInt64, UInt64, UInt64) = (.max, .max, .max, .max)
        static let empty: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    }

    private var slots: [Slot]
    private var used = 0
    private var mask: Int
    /// The most slots the table grows to (room for `capacity` keys at half load).
    private let maximumSlots: Int
    private let bitsToFire: Int
    private let seed = UInt64.random(in: .min ... .max)

    /// - Parameters:
    ///   - window: seconds of event time a key's count lasts.
    ///   - threshold: distinct values that make a key fire (at most 100).
    ///   - capacity: keys held at once.
    public init(window: Int64, threshold: Int, capacity: Int = 65_536) {
        precondition(threshold >= 1 && threshold <= 100)
        self.window = window
        self.threshold = threshold
        var count = 16
        while count < capacity * 2 { count *= 2 }
        self.capacity = count / 2
        maximumSlots = count
        let initial = Swift.min(count, 64)
        mask = initial - 1
        slots = [Slot](repeating: Slot(key: 0, start: 0, bits: Slot.empty), count: initial)
        // The fewest bits set whose linear-counting estimate reaches the threshold.
        var b = 1
        while b < 256 && -256.0 * log(1.0 - Double(b) / 256.0) < Double(threshold) { b += 1 }
        bitsToFire = b
    }

    /// Memory held, in bytes (at most ``capacity`` × 2 slots of 48 bytes).
    public var footprint: Int { slots.count * MemoryLayout<Slot>.stride }

    /// The most memory the table can grow to, in bytes.
    public var maximumFootprint: Int { maximumSlots * MemoryLayout<Slot>.stride }

    /// Number of keys held.
    public var count: Int { used }

    /// Adds `value` for `key` at `time` (seconds). Returns the number of distinct values seen when
    /// this update makes the key reach the threshold (once per window), else `nil`.
    public mutating func add(key rawKey: UInt64, value: UInt32, time: Int64) -> Int? {
        let key = rawKey == 0 ? 1 : rawKey
        let bit = mixKey(UInt64(value), 0x5851_F42D) >> 56  // 0..<256
        let bitsToFire = self.bitsToFire
        let window = self.window
        if used * 2 >= slots.count && !contains(key) {
            if slots.count < maximumSlots {
                grow()
            } else {
                for i in slots.indices { slots[i].key = 0 }
                used = 0
            }
        }
        let mask = self.mask
        let home = home(key, mask)
        return slots.withUnsafeMutableBufferPointer { table -> Int? in
            var i = home
            while table[i].key != 0 && table[i].key != key { i = (i + 1) & mask }
            if table[i].key == 0 {
                table[i] = Slot(key: key, start: time, bits: Slot.empty)
                used += 1
            } else if time - table[i].start >= window {
                table[i].start = time
                table[i].bits = Slot.empty
            }
            var bits = table[i].bits
            if bits == Slot.fired { return nil }  // fired in this window
            let mask = UInt64(1) << (bit & 63)
            switch bit >> 6 {
            case 0: bits.0 |= mask
            case 1: bits.1 |= mask
            case 2: bits.2 |= mask
            default: bits.3 |= mask
            }
            let set = bits.0.nonzeroBitCount + bits.1.nonzeroBitCount + bits.2.nonzeroBitCount + bits.3.nonzeroBitCount
            guard set >= bitsToFire else {
                table[i].bits = bits
                return nil
            }
            table[i].bits = Slot.fired
            return Int((-256.0 * log(1.0 - Double(set) / 256.0)).rounded())
        }
    }

    /// Doubles the table, keeping every key's window.
    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, start: 0, bits: Slot.empty), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.key != 0 {
            var i = home(slot.key, mask)
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }

    /// The slot `key` starts probing from: the key mixed with the table's secret, so keys an
    /// attacker shapes cannot be made to crowd one neighbourhood of the table. (Which bit a value
    /// sets is not keyed: it decides the count, and counts must not differ between runs.)
    @inline(__always)
    private func home(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: WordHash.mix(key ^ seed)) & mask
    }

    private func contains(_ key: UInt64) -> Bool {
        var i = home(key, mask)
        while slots[i].key != 0 {
            if slots[i].key == key { return true }
            i = (i + 1) & mask
        }
        return false
    }
}

/// Mixes integers into a 64-bit key.
@inlinable @inline(__always)
public func mixKey(_ a: UInt64, _ b: UInt64, _ c: UInt64 = 0) -> UInt64 {
    @inline(__always) func step(_ h: UInt64, _ x: UInt64) -> UInt64 {
        let m = (h ^ x) &* 0xff51_afd7_ed55_8ccd
        return m ^ (m >> 33)
    }
    return step(step(step(0x9E37_79B9_7F4A_7C15, a), b), c)
}
