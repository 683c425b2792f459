/// A set of domain names with a value each, matched on label boundaries: `evil.example` matches
/// queries for `evil.example` and `a.b.evil.example`, never `notevil.example`.
///
/// Lookups hash the query's suffixes right to left in one pass over its bytes (no `String` is
/// made) and probe an open-addressed table per suffix; a hit is confirmed against the stored name,
/// so a hash collision can never produce a false match. The most specific (longest) listed suffix
/// wins.
public struct DomainSuffixSet<Value: Sendable>: Sendable {
    private var table: [UInt32]
    private var hashes: [UInt64] = []
    private var names: [String] = []
    private var values: [Value] = []
    private let mask: Int

    public var count: Int { names.count }

    /// Builds the set from normalized names (``DomainName/normalize(_:)``); where a name repeats,
    /// `merge` combines the values.
    public init(_ entries: [(name: String, value: Value)], merge: (Value, Value) -> Value) {
        var slots = 16
        while slots < entries.count * 2 { slots *= 2 }
        table = [UInt32](repeating: 0, count: slots)
        mask = slots - 1
        for (name, value) in entries {
            let h = DomainName.hash(name)
            if let existing = find(hash: h, name: name) {
                values[existing] = merge(values[existing], value)
                continue
            }
            names.append(name)
            hashes.append(h)
            values.append(value)
            var i = Int(truncatingIfNeeded: h) & mask
            while table[i] != 0 { i = (i + 1) & mask }
            table[i] = UInt32(names.count)
        }
    }

    public init() { self.init([], merge: { a, _ in a }) }

    private func find(hash h: UInt64, name: String) -> Int? {
        var i = Int(truncatingIfNeeded: h) & mask
        while table[i] != 0 {
            let index = Int(table[i]) - 1
            if hashes[index] == h && names[index] == name { return index }
            i = (i + 1) & mask
        }
        return nil
    }

    /// The value of the longest listed suffix of `name` (bytes as logged: any case, trailing dot
    /// allowed), and that suffix.
    public func lookup(_ name: UnsafeRawBufferPointer) -> (value: Value, match: String)? {
        guard !names.isEmpty else { return nil }
        var best: Int?
        DomainName.forEachSuffixHash(name) { h, offset in
            var i = Int(truncatingIfNeeded: h) & mask
            while table[i] != 0 {
                let index = Int(table[i]) - 1
                if hashes[index] == h && Self.equal(names[index], name, from: offset) {
                    best = index
                    break
                }
                i = (i + 1) & mask
            }
            return true
        }
        guard let best else { return nil }
        return (values[best], names[best])
    }

    public func lookup(_ name: String) -> (value: Value, match: String)? {
        var copy = name
        return copy.withUTF8 { lookup(UnsafeRawBufferPointer($0)) }
    }

    /// Whether `stored` equals the query bytes from `offset` (ignoring case and trailing dots).
    static func equal(_ stored: String, _ query: UnsafeRawBufferPointer, from offset: Int) -> Bool {
        var end = query.count
        while end > offset && query[end - 1] == 0x2E { end -= 1 }
        var copy = stored
        return copy.withUTF8 { s in
            guard s.count == end - offset else { return false }
            for k in 0..<s.count {
                let c = query[offset + k]
                let lower = (c &- 0x41) < 26 ? c | 0x20 : c
                if lower != s[k] { return false }
            }
            return true
        }
    }
}
