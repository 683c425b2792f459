import VigilModel

/// Finds small integers by 64-bit keys that are already hashes (of a value's bytes, of a
/// principal's name), without hashing them again as a `Dictionary` would: one open-addressed
/// table of key–value pairs probed linearly, at most half full. The first slot is the key mixed
/// with a secret drawn per index, so keys an attacker shapes cannot be made to crowd one
/// neighbourhood of the table. No removal: an index is made anew for what remains. Not thread-safe.
public struct PrehashedIndex: Sendable {
    private struct Slot: Sendable {
        var key: UInt64
        /// `-1`: empty.
        var value: Int32
    }

    private var slots: [Slot]
    public private(set) var count = 0
    private let seed = UInt64.random(in: .min ... .max)

    public init(minimumCapacity: Int = 8) {
        var size = 16
        while size < minimumCapacity * 2 { size *= 2 }
        slots = Array(repeating: Slot(key: 0, value: -1), count: size)
    }

    /// The value held for `key`, or `nil`.
    @inline(__always)
    public subscript(key: UInt64) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            let slot = slots[Self.probe(slots, key, seed)]
            return slot.value >= 0 ? slot.value : nil
        }
    }

    /// Holds `value` (not negative) for `key`, replacing what it held.
    public mutating func set(_ value: Int32, for key: UInt64) {
        precondition(value >= 0, "PrehashedIndex holds values from 0")
        if (count + 1) * 2 > slots.count { grow() }
        if place(key, value) { count += 1 }
    }

    /// The slot holding `key`, or the empty slot where it belongs (the table is never full).
    @inline(__always)
    private static func probe(_ slots: UnsafeBufferPointer<Slot>, _ key: UInt64, _ seed: UInt64) -> Int {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: WordHash.mix(key ^ seed)) & mask
        while slots[i].value >= 0 && slots[i].key != key { i = (i + 1) & mask }
        return i
    }

    /// Puts `key` in its slot; returns whether it was new.
    private mutating func place(_ key: UInt64, _ value: Int32) -> Bool {
        let seed = seed
        return slots.withUnsafeMutableBufferPointer { slots in
            let i = Self.probe(UnsafeBufferPointer(slots), key, seed)
            let new = slots[i].value < 0
            slots[i] = Slot(key: key, value: value)
            return new
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(key: 0, value: -1), count: old.count * 2)
        for slot in old where slot.value >= 0 { _ = place(slot.key, slot.value) }
    }
}
