/// Finds the values at a path of keys inside JSON text without building a tree: a byte scan
/// that skips what it does not need, allocating nothing unless a string holds escapes.
///
/// The text is attacker-controlled (a `requestParameters` object as CloudTrail wrote it): every
/// read is bounds-checked, nesting is limited, and malformed text yields no values rather than a
/// wrong one. Arrays met on the way are searched element by element, as Sigma expects of
/// `requestParameters.items.name`.
enum RawJSONPath {
    /// How deep arrays and objects may nest before the scan gives up.
    static let maximumDepth = 64

    /// A value found: a string's contents (unescaped), or the text of a number, `true`, `false`.
    /// Objects, arrays and `null` are reported with ``Kind``.
    enum Kind { case scalar, null, container }

    /// Calls `body` with each value at `path` until it returns `true`; returns whether one did.
    static func anyValue(in json: UnsafeRawBufferPointer, path: ArraySlice<[UInt8]>,
                         _ body: (UnsafeRawBufferPointer, Kind) -> Bool) -> Bool {
        var scanner = Scanner(bytes: json)
        scanner.skipSpace()
        return scanner.find(path, depth: 0, body)
    }

    struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var atEnd: Bool { i >= bytes.count }
        var current: UInt8 { bytes[i] }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        /// At a value: reports the values at `path` beneath it. Leaves `i` after the value.
        mutating func find(_ path: ArraySlice<[UInt8]>, depth: Int, _ body: (UnsafeRawBufferPointer, Kind) -> Bool) -> Bool {
            guard !atEnd, depth < RawJSONPath.maximumDepth else { i = bytes.count; return false }
            switch current {
            case UInt8(ascii: "["):
                // An array: its elements, each at the same path.
                i += 1
                skipSpace()
                if !atEnd, current == UInt8(ascii: "]") { i += 1; return path.isEmpty ? body(UnsafeRawBufferPointer(rebasing: bytes[0..<0]), .container) : false }
                while !atEnd {
                    if find(path, depth: depth + 1, body) { return true }
                    skipSpace()
                    guard !atEnd else { return false }
                    if current == UInt8(ascii: ",") { i += 1; skipSpace(); continue }
                    if current == UInt8(ascii: "]") { i += 1; return false }
                    i = bytes.count
                    return false
                }
                return false
            case UInt8(ascii: "{"):
                guard let key = path.first else {
                    let start = i
                    skipValue(depth: depth)
                    return body(UnsafeRawBufferPointer(rebasing: bytes[start..<i]), .container)
                }
                i += 1
                skipSpace()
                if !atEnd, current == UInt8(ascii: "}") { i += 1; return false }
                while !atEnd {
                    guard current == UInt8(ascii: "\"") else { i = bytes.count; return false }
                    let matched = keyEquals(key)
                    skipSpace()
                    guard !atEnd, current == UInt8(ascii: ":") else { i = bytes.count; return false }
                    i += 1
                    skipSpace()
                    if matched {
                        if find(path.dropFirst(), depth: depth + 1, body) { return true }
                    } else {
                        skipValue(depth: depth + 1)
                    }
                    skipSpace()
                    guard !atEnd else { return false }
                    if current == UInt8(ascii: ",") { i += 1; skipSpace(); continue }
                    if current == UInt8(ascii: "}") { i += 1; return false }
                    i = bytes.count
                    return false
                }
                return false
            case UInt8(ascii: "\""):
                guard path.isEmpty else { skipValue(depth: depth); return false }
                return withString { body($0, .scalar) }
            default:
                let start = i
                skipValue(depth: depth)
                guard path.isEmpty, i > start else { return false }
                let text = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
                if text.elementsEqual("null".utf8) { return body(text, .null) }
                return body(text, .scalar)
            }
        }

        /// At a key's opening quote: whether it equals `key` (escapes decoded). Leaves `i` after it.
        mutating func keyEquals(_ key: [UInt8]) -> Bool {
            withString { $0.elementsEqual(key) }
        }

        /// At a string's opening quote: calls `body` with its contents, unescaped when it holds
        /// escapes (a rare copy). Leaves `i` after the closing quote.
        mutating func withString(_ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
            i += 1
            let start = i
            var escaped = false
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") { escaped = true; i += 1 }
                i += 1
            }
            guard i < bytes.count else { return false }
            let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
            i += 1
            guard escaped else { return body(raw) }
            var decoded = Self.unescape(raw)
            return decoded.withUnsafeMutableBytes { body(UnsafeRawBufferPointer($0)) }
        }

        /// Skips one value of any kind.
        mutating func skipValue(depth: Int) {
            guard !atEnd else { return }
            switch current {
            case UInt8(ascii: "\""):
                _ = withString { _ in false }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                // Strings may hold brackets: count nesting outside them.
                var level = 0
                while i < bytes.count {
                    let c = bytes[i]
                    if c == UInt8(ascii: "\"") { _ = withString { _ in false }; continue }
                    if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { level += 1 }
                    if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                        level -= 1
                        if level == 0 { i += 1; return }
                    }
                    i += 1
                }
            default:
                while i < bytes.count {
                    let c = bytes[i]
                    if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { return }
                    i += 1
                }
            }
        }

        /// JSON string escapes decoded to UTF-8 (`\u` escapes included, surrogate pairs joined).
        static func unescape(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var i = 0
            func hex4(_ at: Int) -> UInt32? {
                guard at + 4 <= raw.count else { return nil }
                var v: UInt32 = 0
                for k in at..<(at + 4) {
                    let c = raw[k]
                    let d: UInt8
                    switch c {
                    case 0x30...0x39: d = c - 0x30
                    case 0x41...0x46: d = c - 0x41 + 10
                    case 0x61...0x66: d = c - 0x61 + 10
                    default: return nil
                    }
                    v = v << 4 | UInt32(d)
                }
                return v
            }
            while i < raw.count {
                let c = raw[i]
                guard c == UInt8(ascii: "\\"), i + 1 < raw.count else { out.append(c); i += 1; continue }
                let e = raw[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4(i) else { continue }
                    i += 4
                    if scalar >= 0xD800, scalar < 0xDC00, i + 1 < raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                       let low = hex4(i + 2), low >= 0xDC00, low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(e)
                }
            }
            return out
        }
    }
}
