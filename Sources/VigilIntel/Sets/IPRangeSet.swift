import Foundation
import VigilModel

/// A set of IPv4 and IPv6 prefixes (CIDR blocks) with a value per prefix, answering
/// longest-prefix-match lookups.
///
/// Built once, then read-only. Prefixes are flattened into non-overlapping segments, each carrying
/// the value of the most specific prefix that covers it (CIDR blocks either nest or are disjoint,
/// so one sweep does it). Single IPv4 addresses — most of any feed — live in an open-addressed
/// hash table probed first (a hit there is the most specific match possible); the coarser IPv4
/// prefixes are packed as `start << 32 | slot` segments behind an index on the top bits of the
/// address (16 to 22 bits, sized so a bucket holds a few segments). So a lookup costs about one
/// cache miss in the hash table plus reads in a much smaller segment table. IPv6 lookups
/// binary-search their segments.
///
/// A class: it is built once and shared read-only by every reader, never copied.
public final class IPRangeSet<Value: Hashable & Sendable>: @unchecked Sendable {
    /// Each IPv4 segment as `start << 32 | slot` (slot: index into `values` + 1, 0 for a gap);
    /// a segment runs to the next start.
    @usableFromInline let v4Segments: [UInt64]
    /// For each bucket of the top `v4IndexBits` bits, the index of the segment holding its first address.
    @usableFromInline let v4Index: [UInt32]
    @usableFromInline let v4Shift: UInt32
    /// Single IPv4 addresses as `address << 32 | slot`, open-addressed; 0 marks an empty slot.
    @usableFromInline let v4Exact: [UInt64]
    @usableFromInline let v4ExactShift: UInt32
    @usableFromInline let v6Starts: [IPAddress]
    @usableFromInline let v6Slots: [UInt32]
    @usableFromInline let values: [Value]
    /// For large sets: one bit per IPv4 /24, set when any prefix touches it, so most unlisted
    /// addresses are answered from a 2 MiB bitmap that stays in cache. Empty for small sets.
    @usableFromInline let v4Filter: [UInt64]

    /// Number of prefixes the set was built from.
    public let prefixCount: Int

    public convenience init() {
        self.init([], merge: { a, _ in a })
    }

    /// Builds the set. Where several entries give the same prefix, `merge` combines their values.
    public init(_ entries: [(prefix: IPPrefix, value: Value)], merge: (Value, Value) -> Value) {
        var v4: [IPPrefix: Value] = [:]
        var v6: [IPPrefix: Value] = [:]
        for (prefix, value) in entries {
            if prefix.address.isIPv4 {
                v4[prefix] = v4[prefix].map { merge($0, value) } ?? value
            } else {
                v6[prefix] = v6[prefix].map { merge($0, value) } ?? value
            }
        }
        prefixCount = v4.count + v6.count
        var values: [Value] = []
        var v4Exact: [UInt64] = []
        var v4ExactShift: UInt32 = 32
        var interned: [Value: UInt32] = [:]
        func slot(_ value: Value) -> UInt32 {
            if let s = interned[value] { return s }
            values.append(value)
            interned[value] = UInt32(values.count)
            return UInt32(values.count)
        }
        // IPv4 single addresses go to the hash table, the rest become 32-bit ranges.
        let singles = v4.filter { $0.key.length == 128 }
        if !singles.isEmpty {
            var bits = 4
            while (1 << bits) < singles.count * 2 { bits += 1 }
            v4ExactShift = UInt32(32 - bits)
            v4Exact = [UInt64](repeating: 0, count: 1 << bits)
            let mask = (1 << bits) - 1
            for (prefix, value) in singles {
                let address = prefix.address.ipv4!
                var i = Int(IPRangeSet.hash(address) >> v4ExactShift)
                while v4Exact[i] != 0 { i = (i + 1) & mask }
                v4Exact[i] = UInt64(address) << 32 | UInt64(slot(value))
            }
        }
        let blocks4 = v4.filter { $0.key.length != 128 }.map { (prefix, value) -> (UInt64, UInt64, UInt32) in
            let length = Int(prefix.length) - 96
            let start = UInt64(prefix.address.ipv4!)
            let size: UInt64 = 1 << UInt64(32 - length)
            return (start, start + size - 1, slot(value))
        }
        let (starts4, slots4) = IPRangeSet.flatten(blocks4.map { (Key128(0, $0.0), Key128(0, $0.1), $0.2) }, maximum: Key128(0, 0xFFFF_FFFF))
        let v4Segments = zip(starts4, slots4).map { $0.low << 32 | UInt64($1) }
        // About two segments a bucket, so a lookup scans a handful of segments; a small set gets a
        // small index (a list of a few resolvers need not hold 256 KB).
        var bits = 8
        while bits < 22 && (1 << bits) < v4Segments.count / 2 { bits += 1 }
        let v4Shift = UInt32(32 - bits)
        let buckets = 1 << bits
        var v4Index = [UInt32](repeating: 0, count: buckets + 1)
        var segment = 0
        for bucket in 0..<buckets {
            let first = UInt64(bucket) << UInt64(v4Shift)
            while segment + 1 < v4Segments.count && v4Segments[segment + 1] >> 32 <= first { segment += 1 }
            v4Index[bucket] = UInt32(segment)
        }
        v4Index[buckets] = UInt32(v4Segments.count - 1)
        // IPv6, as 128-bit ranges.
        let blocks6 = v6.map { (prefix, value) -> (Key128, Key128, UInt32) in
            let start = Key128(prefix.address.high, prefix.address.low)
            return (start, start.lastAddress(prefixLength: Int(prefix.length)), slot(value))
        }
        let (starts6, slots6) = IPRangeSet.flatten(blocks6, maximum: Key128(.max, .max))
        var filter: [UInt64] = []
        if v4.count >= 4096 {
            filter = [UInt64](repeating: 0, count: 1 << 18)
            for (prefix, _) in v4 {
                let first = UInt64(prefix.address.ipv4!) >> 8
                let length = Int(prefix.length) - 96
                let last = length >= 24 ? first : first + (UInt64(1) << UInt64(24 - length)) - 1
                var bucket = first
                while bucket <= last {
                    filter[Int(bucket >> 6)] |= 1 << (bucket & 63)
                    bucket += 1
                }
            }
        }
        self.v4Filter = filter
        self.v6Starts = starts6.map { IPAddress(high: $0.high, low: $0.low) }
        self.v6Slots = slots6
        self.v4Segments = v4Segments
        self.v4Index = v4Index
        self.v4Shift = v4Shift
        self.v4Exact = v4Exact
        self.v4ExactShift = v4ExactShift
        self.values = values
    }

    /// The value of the most specific prefix containing `address`, or `nil`.
    @inlinable
    public func lookup(_ address: IPAddress) -> Value? {
        if let v4 = address.ipv4 { return lookup(ipv4: v4) }
        return lookupV6(address)
    }

    /// The value of the most specific prefix containing the IPv4 address `address`.
    @inlinable
    public func lookup(ipv4 address: UInt32) -> Value? {
        let slot = v4Slot(address)
        return slot == 0 ? nil : valueAt(slot)
    }

    /// Whether any prefix contains `address` (without fetching the value).
    @inlinable
    public func contains(_ address: IPAddress) -> Bool {
        if let v4 = address.ipv4 { return v4Slot(v4) != 0 }
        return lookupV6(address) != nil
    }

    /// Whether any prefix contains the IPv4 address `address`.
    @inlinable
    public func contains(ipv4 address: UInt32) -> Bool { v4Slot(address) != 0 }

    @inlinable
    func valueAt(_ slot: UInt32) -> Value { values[Int(slot) - 1] }

    @inlinable @inline(__always)
    static func hash(_ address: UInt32) -> UInt32 { address &* 0x9E37_79B1 }

    @inlinable
    func v4Slot(_ address: UInt32) -> UInt32 {
        if !v4Filter.isEmpty {
            let bucket = Int(address >> 8)
            if v4Filter.withUnsafeBufferPointer({ ($0[bucket >> 6] >> UInt64(bucket & 63)) & 1 }) == 0 { return 0 }
        }
        if !v4Exact.isEmpty {
            let found = v4Exact.withUnsafeBufferPointer { table -> UInt32 in
                let mask = table.count - 1
                var i = Int(IPRangeSet.hash(address) >> v4ExactShift)
                while true {
                    let entry = table[i]
                    if entry == 0 { return 0 }
                    if UInt32(truncatingIfNeeded: entry >> 32) == address { return UInt32(truncatingIfNeeded: entry) }
                    i = (i + 1) & mask
                }
            }
            if found != 0 { return found }
        }
        return v4Segments.withUnsafeBufferPointer { segments in
            v4Index.withUnsafeBufferPointer { index in
                let bucket = Int(address >> v4Shift)
                var lo = Int(index[bucket])
                var hi = Int(index[bucket + 1])
                // The answer is the last segment in [lo, hi] whose start <= address: scan a few,
                // binary-search a crowded bucket.
                let key = UInt64(address) << 32 | 0xFFFF_FFFF
                while hi - lo > 8 {
                    let mid = (lo + hi + 1) >> 1
                    if segments[mid] <= key { lo = mid } else { hi = mid - 1 }
                }
                while hi > lo && segments[hi] > key { hi -= 1 }
                return UInt32(truncatingIfNeeded: segments[hi])
            }
        }
    }

    @usableFromInline
    func lookupV6(_ address: IPAddress) -> Value? {
        guard !v6Starts.isEmpty, v6Starts[0] <= address else { return nil }
        var lo = 0
        var hi = v6Starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if v6Starts[mid] <= address { lo = mid } else { hi = mid - 1 }
        }
        let slot = v6Slots[lo]
        return slot == 0 ? nil : values[Int(slot) - 1]
    }

    /// Flattens laminar blocks `[start, end]` into segments: each start, and the slot of the most
    /// specific block covering it (0 for none). The first segment starts at 0.
    static func flatten(_ blocks: [(Key128, Key128, UInt32)], maximum: Key128) -> ([Key128], [UInt32]) {
        let sorted = blocks.sorted { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 > b.1 }
        var starts: [Key128] = []
        var slots: [UInt32] = []
        func emit(_ start: Key128, _ slot: UInt32) {
            if let last = slots.last, last == slot { return }
            if let lastStart = starts.last, lastStart == start {
                slots[slots.count - 1] = slot
                return
            }
            starts.append(start)
            slots.append(slot)
        }
        emit(Key128(0, 0), 0)
        var stack: [(end: Key128, slot: UInt32)] = []
        for (start, end, slot) in sorted {
            while let top = stack.last, top.end < start {
                stack.removeLast()
                if top.end < maximum { emit(top.end.successor, stack.last?.slot ?? 0) }
            }
            emit(start, slot)
            stack.append((end, slot))
        }
        while let top = stack.popLast() {
            if top.end < maximum { emit(top.end.successor, stack.last?.slot ?? 0) }
        }
        return (starts, slots)
    }
}

/// An IPv4 or IPv6 network: an address and a prefix length over the 128-bit form (IPv4 prefixes
/// are held as IPv4-mapped, so a /24 is length 120).
public struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the network (host bits cleared).
    public let address: IPAddress
    /// Prefix length over 128 bits.
    public let length: UInt8

    /// A single address.
    public init(_ address: IPAddress) {
        self.address = address
        self.length = 128
    }

    /// `address/length`, with `length` counted in the address's own family (0–32 or 0–128).
    public init?(address: IPAddress, familyLength: Int) {
        let total = address.isIPv4 ? familyLength + 96 : familyLength
        guard familyLength >= 0, familyLength <= (address.isIPv4 ? 32 : 128) else { return nil }
        let masked = Key128(address.high, address.low).masked(prefixLength: total)
        self.address = IPAddress(high: masked.high, low: masked.low)
        self.length = UInt8(total)
    }

    /// Parses `192.0.2.0/24`, `2001:db8::/32` or a bare address.
    public init?(_ text: some StringProtocol) {
        let trimmed = String(text.trimmingSpaces)
        if let slash = trimmed.firstIndex(of: "/") {
            guard let address = IPAddress(trimmed[..<slash]), let length = Int(trimmed[trimmed.index(after: slash)...]) else { return nil }
            self.init(address: address, familyLength: length)
        } else {
            guard let address = IPAddress(trimmed) else { return nil }
            self.init(address)
        }
    }

    /// Whether `candidate` is inside the network.
    public func contains(_ candidate: IPAddress) -> Bool {
        let n = Int(length)
        let high = n >= 64 ? UInt64.max : (n == 0 ? 0 : UInt64.max << UInt64(64 - n))
        let low = n <= 64 ? 0 : (n >= 128 ? UInt64.max : UInt64.max << UInt64(128 - n))
        return candidate.high & high == address.high & high && candidate.low & low == address.low & low
    }

    public var description: String {
        let family = address.isIPv4 ? Int(length) - 96 : Int(length)
        return family == (address.isIPv4 ? 32 : 128) ? address.description : "\(address)/\(family)"
    }
}

/// A 128-bit key for range arithmetic.
struct Key128: Comparable, Hashable {
    var high: UInt64
    var low: UInt64
    init(_ high: UInt64, _ low: UInt64) {
        self.high = high
        self.low = low
    }
    static func < (a: Key128, b: Key128) -> Bool { a.high != b.high ? a.high < b.high : a.low < b.low }
    var successor: Key128 { low == .max ? Key128(high &+ 1, 0) : Key128(high, low + 1) }
    func masked(prefixLength n: Int) -> Key128 {
        if n <= 0 { return Key128(0, 0) }
        if n >= 128 { return self }
        if n <= 64 { return Key128(n == 64 ? high : high & ~(UInt64.max >> UInt64(n)), 0) }
        return Key128(high, low & ~(UInt64.max >> UInt64(n - 64)))
    }
    func lastAddress(prefixLength n: Int) -> Key128 {
        if n <= 0 { return Key128(.max, .max) }
        if n >= 128 { return self }
        if n <= 64 { return Key128(n == 64 ? high : high | (UInt64.max >> UInt64(n)), .max) }
        return Key128(high, low | (UInt64.max >> UInt64(n - 64)))
    }
}
