import VigilModel

/// A geolocation database flattened into sorted, non-overlapping address ranges: built in one
/// pass over the database's networks (nested networks included — the most specific one answers,
/// as a longest-prefix lookup does), looked up by binary search behind a first-level index (IPv4
/// by its top 16 bits). Immutable once built, so any number of threads read it at once.
struct GeoRangeTable: Sendable {
    /// The columns, owned: allocated once and freed with the last copy of the table.
    private let storage: Storage
    /// Pointers into ``storage``: what every lookup reads, without touching a reference count
    /// (partitions on several cores look up every event; shared counts would bounce between them).
    let columns: Columns
    let rangeCount: Int

    private var v4Starts: UnsafeBufferPointer<UInt32> { columns.v4Starts }
    private var v4Values: UnsafeBufferPointer<UInt64> { columns.v4Values }
    private var v4Index: UnsafeBufferPointer<UInt32> { columns.v4Index }
    private var v6Starts: UnsafeBufferPointer<(UInt64, UInt64)> { columns.v6Starts }
    private var v6Values: UnsafeBufferPointer<UInt64> { columns.v6Values }

    /// The table's columns as plain pointers. Valid while a copy of the table they came from lives
    /// (a database keeps its table for its own life); copying one costs nothing.
    struct Columns: @unchecked Sendable {
        /// IPv4: range starts, ascending, and what holds from each start to the next.
        let v4Starts: UnsafeBufferPointer<UInt32>
        let v4Values: UnsafeBufferPointer<UInt64>
        /// For each top-16-bit block, the index of the last range starting at or before the block.
        let v4Index: UnsafeBufferPointer<UInt32>
        /// IPv6 (other than IPv4-mapped): range starts as (high, low), ascending.
        let v6Starts: UnsafeBufferPointer<(UInt64, UInt64)>
        let v6Values: UnsafeBufferPointer<UInt64>

        /// The facts for `address`, or `nil` when no network holds it.
        func facts(_ address: IPAddress) -> GeoFacts? {
            let packed: UInt64
            if let v4 = address.ipv4 {
                guard !v4Starts.isEmpty else { return nil }
                // The answer lies between the last range starting before this block and the last
                // starting before the next one.
                let block = Int(v4 >> 16)
                var low = Int(v4Index[block])
                var upper = block + 1 < v4Index.count ? Int(v4Index[block + 1]) : v4Starts.count - 1
                guard v4Starts[low] <= v4 else { return nil }
                while low < upper {
                    let mid = (low + upper + 1) / 2
                    if v4Starts[mid] <= v4 { low = mid } else { upper = mid - 1 }
                }
                packed = v4Values[low]
            } else {
                let key = (address.high, address.low)
                var low = 0, upper = v6Starts.count - 1
                guard upper >= 0, !(key < v6Starts[0]) else { return nil }
                while low < upper {
                    let mid = (low + upper + 1) / 2
                    if !(key < v6Starts[mid]) { low = mid } else { upper = mid - 1 }
                }
                packed = v6Values[low]
            }
            return packed == GeoRangeTable.none ? nil : GeoFacts(packed: packed)
        }
    }

    /// Owns the columns' memory.
    private final class Storage: @unchecked Sendable {
        let columns: Columns

        init(v4Starts: [UInt32], v4Values: [UInt64], v4Index: [UInt32], v6Starts: [(UInt64, UInt64)], v6Values: [UInt64]) {
            func owned<T>(_ values: [T]) -> UnsafeBufferPointer<T> {
                let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
                _ = buffer.initialize(from: values)
                return UnsafeBufferPointer(buffer)
            }
            columns = Columns(v4Starts: owned(v4Starts), v4Values: owned(v4Values), v4Index: owned(v4Index),
                              v6Starts: owned(v6Starts), v6Values: owned(v6Values))
        }

        deinit {
            columns.v4Starts.deallocate()
            columns.v4Values.deallocate()
            columns.v4Index.deallocate()
            columns.v6Starts.deallocate()
            columns.v6Values.deallocate()
        }
    }

    private init(v4Starts: [UInt32], v4Values: [UInt64], v4Index: [UInt32], v6Starts: [(UInt64, UInt64)], v6Values: [UInt64]) {
        storage = Storage(v4Starts: v4Starts, v4Values: v4Values, v4Index: v4Index, v6Starts: v6Starts, v6Values: v6Values)
        columns = storage.columns
        rangeCount = v4Starts.count + v6Starts.count
    }

    /// One network: its first address, its prefix length over 128 bits, and its facts.
    struct Network {
        var first: IPAddress
        var length: Int
        var facts: GeoFacts
    }

    init(_ networks: [Network]) {
        var v4: [(start: UInt64, end: UInt64, value: UInt64)] = []
        var v6: [(start: (UInt64, UInt64), end: (UInt64, UInt64), value: UInt64)] = []
        for n in networks {
            if n.first.isIPv4, n.length >= 96 {
                let start = UInt64(n.first.low & 0xFFFF_FFFF)
                let size = UInt64(1) << UInt64(128 - n.length)
                v4.append((start, start + size - 1, n.facts.packed))
            } else if n.length >= 1 {
                let (start, end) = Self.range(n.first, n.length)
                v6.append((start, end, n.facts.packed))
            }
        }
        // Containing networks before the ones they contain.
        v4.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
        v6.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
        let (starts4, values4) = Self.flatten(v4, next: { $0 + 1 }, zero: 0).reduce(into: ([UInt32](), [UInt64]())) {
            $0.0.append(UInt32($1.0))
            $0.1.append($1.1)
        }
        let flat6 = Self.flatten(v6.map { (Key(high: $0.start.0, low: $0.start.1), Key(high: $0.end.0, low: $0.end.1), $0.value) },
                                 next: { $0.successor }, zero: Key(high: 0, low: 0))
        var index = [UInt32](repeating: 0, count: 1 << 16)
        var i = 0
        for block in 0..<(1 << 16) {
            let blockStart = UInt32(block) << 16
            while i + 1 < starts4.count, starts4[i + 1] <= blockStart { i += 1 }
            index[block] = UInt32(i)
        }
        self.init(v4Starts: starts4, v4Values: values4, v4Index: index, v6Starts: flat6.map { ($0.0.high, $0.0.low) },
                  v6Values: flat6.map(\.1))
    }

    // MARK: Saved tables

    private static let magic = Array("VIGILGEO1".utf8)

    /// The table as bytes: a magic number, the counts, then each array as it lies in memory.
    func serialized() -> [UInt8] {
        var out = Self.magic
        func put<T>(_ values: [T]) { values.withUnsafeBytes { out += $0 } }
        func put<T>(_ values: UnsafeBufferPointer<T>) { out += UnsafeRawBufferPointer(values) }
        put([UInt64(v4Starts.count).littleEndian, UInt64(v6Starts.count).littleEndian])
        put(v4Starts)
        put(v4Values)
        put(v4Index)
        put(v6Starts.map(\.0))
        put(v6Starts.map(\.1))
        put(v6Values)
        return out
    }

    /// A table from ``serialized()`` bytes; `nil` unless they are exactly one (a damaged or
    /// foreign file is rebuilt, never trusted).
    init?(serialized bytes: [UInt8]) {
        var offset = Self.magic.count
        guard bytes.count >= offset + 16, Array(bytes[0..<offset]) == Self.magic else { return nil }
        func take<T>(_ count: Int, _ type: T.Type) -> [T]? {
            let size = count * MemoryLayout<T>.stride
            guard count >= 0, size >= 0, offset + size <= bytes.count else { return nil }
            defer { offset += size }
            return bytes.withUnsafeBytes { raw in
                (0..<count).map { raw.loadUnaligned(fromByteOffset: offset + $0 * MemoryLayout<T>.stride, as: T.self) }
            }
        }
        guard let counts = take(2, UInt64.self), counts[0] < 1 << 28, counts[1] < 1 << 28 else { return nil }
        let (n4, n6) = (Int(UInt64(littleEndian: counts[0])), Int(UInt64(littleEndian: counts[1])))
        guard let starts4 = take(n4, UInt32.self), let values4 = take(n4, UInt64.self), let index = take(1 << 16, UInt32.self),
              let high6 = take(n6, UInt64.self), let low6 = take(n6, UInt64.self), let values6 = take(n6, UInt64.self),
              offset == bytes.count, index.allSatisfy({ Int($0) < max(n4, 1) }),
              zip(starts4, starts4.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        self.init(v4Starts: starts4, v4Values: values4, v4Index: index, v6Starts: Array(zip(high6, low6)), v6Values: values6)
    }

    /// The facts for `address`, or `nil` when no network holds it.
    func lookup(_ address: IPAddress) -> GeoFacts? { columns.facts(address) }

    /// What a gap between networks holds.
    static let none = UInt64.max

    private struct Key: Comparable {
        var high: UInt64
        var low: UInt64
        static func < (a: Key, b: Key) -> Bool { a.high != b.high ? a.high < b.high : a.low < b.low }
        var successor: Key { low == .max ? Key(high: high &+ 1, low: 0) : Key(high: high, low: low + 1) }
    }

    private static func range(_ first: IPAddress, _ length: Int) -> ((UInt64, UInt64), (UInt64, UInt64)) {
        let hostHigh: UInt64 = length >= 64 ? 0 : (length == 0 ? .max : UInt64.max >> UInt64(length))
        let hostLow: UInt64 = length <= 64 ? .max : (length >= 128 ? 0 : UInt64.max >> UInt64(length - 64))
        return ((first.high & ~hostHigh, first.low & ~hostLow), (first.high | hostHigh, first.low | hostLow))
    }

    /// Non-overlapping ranges from nested ones sorted by start (containers first): each stretch
    /// gets the value of the innermost range holding it (``none`` where none does); neighbours
    /// with the same value merge.
    private static func flatten<K: Comparable>(_ ranges: [(K, K, UInt64)], next: (K) -> K, zero: K) -> [(K, UInt64)] {
        var out: [(K, UInt64)] = []
        var stack: [(end: K, value: UInt64)] = []
        var cursor = zero
        var exhausted = false  // the cursor passed the end of the address space
        func emit(_ start: K, _ value: UInt64) {
            if let last = out.last, last.1 == value { return }
            if let last = out.last, last.0 == start { out[out.count - 1].1 = value; return }
            out.append((start, value))
        }
        func close(through end: K, _ value: UInt64) {
            guard !exhausted, !(end < cursor) else { return }
            emit(cursor, value)
            let after = next(end)
            if after < end || after == end { exhausted = true } else { cursor = after }
        }
        for (start, end, value) in ranges {
            while let top = stack.last, top.end < start {
                close(through: top.end, top.value)
                stack.removeLast()
            }
            if !exhausted, cursor < start { emit(cursor, stack.last?.value ?? none); cursor = start }
            stack.append((end, value))
        }
        while let top = stack.popLast() { close(through: top.end, top.value) }
        if !exhausted { emit(cursor, none) }
        return out
    }
}
