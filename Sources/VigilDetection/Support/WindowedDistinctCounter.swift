/// Counts distinct values per key within a time window, in bounded memory — the shared primitive
/// behind scan, sweep and brute-force detection (Zeek's SumStats, narrowed to what those need).
///
/// Keys and values are integers (hashes of addresses and ports), so an update is a probe into an
/// open-addressed table with no `String` and no allocation. Each key remembers up to `threshold`
/// distinct values: reaching it reports the key once per window. A key's window starts at its
/// first value and lasts `window` seconds of event time. The table holds at most `capacity`
/// keys; when it is full, expired keys are swept and, if none expired, the table is cleared —
/// an attacker flooding it with unique keys can blind it for a window, never exhaust memory.
public struct WindowedDistinctCounter {
    public let window: Int64
    public let threshold: Int
    public let capacity: Int

    private var keys: [UInt64]
    private var starts: [Int64]
    private var counts: [UInt16]
    /// `threshold` value slots per key.
    private var values: [UInt32]
    private var used = 0
    private let mask: Int

    /// - Parameters:
    ///   - window: seconds of event time a key's count lasts.
    ///   - threshold: distinct values that make a key fire (at most 1024).
    ///   - capacity: keys held at once.
    public init(window: Int64, threshold: Int, capacity: Int = 65_536) {
        precondition(threshold >= 1 && threshold <= 1024)
        self.window = window
        self.threshold = threshold
        var slots = 16
        while slots < capacity * 2 { slots *= 2 }
        self.capacity = slots / 2
        mask = slots - 1
        keys = [UInt64](repeating: 0, count: slots)
        starts = [Int64](repeating: 0, count: slots)
        counts = [UInt16](repeating: 0, count: slots)
        values = [UInt32](repeating: 0, count: slots * threshold)
    }

    /// Memory held, in bytes.
    public var footprint: Int { keys.count * (8 + 8 + 2 + 4 * threshold) }

    /// Number of keys held.
    public var count: Int { used }

    /// Adds `value` for `key` at `time` (seconds). Returns the number of distinct values when this
    /// update makes the key reach the threshold (once per window), else `nil`.
    public mutating func add(key rawKey: UInt64, value: UInt32, time: Int64) -> Int? {
        let key = rawKey == 0 ? 1 : rawKey
        var i = Self.slot(key, mask)
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == 0 {
            if used >= capacity {
                sweep(now: time)
                return add(key: rawKey, value: value, time: time)
            }
            keys[i] = key
            starts[i] = time
            counts[i] = 0
            used += 1
        } else if time - starts[i] >= window {
            starts[i] = time
            counts[i] = 0
        }
        let n = Int(counts[i])
        if n >= threshold { return nil }  // already fired in this window
        let base = i * threshold
        for k in 0..<n where values[base + k] == value { return nil }
        values[base + n] = value
        counts[i] = UInt16(n + 1)
        return n + 1 == threshold ? threshold : nil
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: ((key ^ (key >> 31)) &* 0x9E37_79B9_7F4A_7C15) >> 16) & mask
    }

    /// Drops keys whose window ended before `now`; clears everything if none had.
    private mutating func sweep(now: Int64) {
        var kept: [(UInt64, Int64, UInt16, ArraySlice<UInt32>)] = []
        for i in keys.indices where keys[i] != 0 && now - starts[i] < window {
            kept.append((keys[i], starts[i], counts[i], values[(i * threshold)..<(i * threshold + threshold)]))
        }
        for i in keys.indices { keys[i] = 0 }
        used = 0
        if kept.count >= capacity { return }  // nothing expired: start afresh
        for (key, start, count, slots) in kept {
            var i = Self.slot(key, mask)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = key
            starts[i] = start
            counts[i] = count
            for (k, v) in slots.enumerated() { values[i * threshold + k] = v }
            used += 1
        }
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
