/// A Sigma value or name with wildcards, compiled: `*` any run of characters, `?` any one, and
/// `\` escaping a following `*`, `?` or `\` (before any other character it is itself).
///
/// Matching backtracks only to the last `*`, so it is linear in practice and never exponential,
/// whatever a rule writes.
struct WildcardPattern: Sendable, Hashable {
    enum Token: Sendable, Hashable { case byte(UInt8), anyOne, anyRun }

    let tokens: [Token]

    init(_ text: String) {
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\\"), i + 1 < bytes.count,
               [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "\\")].contains(bytes[i + 1]) {
                tokens.append(.byte(bytes[i + 1]))
                i += 2
                continue
            }
            switch c {
            case UInt8(ascii: "*"): if tokens.last != .anyRun { tokens.append(.anyRun) }
            case UInt8(ascii: "?"): tokens.append(.anyOne)
            default: tokens.append(.byte(c))
            }
            i += 1
        }
        self.tokens = tokens
    }

    init(tokens: [Token]) { self.tokens = tokens }

    /// The literal bytes, when the pattern has no wildcard.
    var literal: [UInt8]? {
        var bytes: [UInt8] = []
        for token in tokens {
            guard case .byte(let b) = token else { return nil }
            bytes.append(b)
        }
        return bytes
    }

    /// The pattern with `*` added in front and/or behind (`contains`, `startswith`, `endswith`).
    func surrounded(leading: Bool, trailing: Bool) -> WildcardPattern {
        var t = tokens
        if leading, t.first != .anyRun { t.insert(.anyRun, at: 0) }
        if trailing, t.last != .anyRun { t.append(.anyRun) }
        return WildcardPattern(tokens: t)
    }

    /// Whether `text` matches, ASCII letters compared without case when `ignoringCase`.
    func matches(_ text: UnsafeRawBufferPointer, ignoringCase: Bool) -> Bool {
        var pi = 0, ti = 0
        var star = -1, mark = 0
        let n = text.count, m = tokens.count
        while ti < n {
            if pi < m {
                switch tokens[pi] {
                case .anyRun:
                    star = pi; mark = ti; pi += 1
                    continue
                case .anyOne:
                    pi += 1; ti += 1
                    continue
                case .byte(let b) where Self.equal(b, text[ti], ignoringCase):
                    pi += 1; ti += 1
                    continue
                default: break
                }
            }
            guard star >= 0 else { return false }
            pi = star + 1; mark += 1; ti = mark
        }
        while pi < m, tokens[pi] == .anyRun { pi += 1 }
        return pi == m
    }

    func matches(_ text: String, ignoringCase: Bool) -> Bool {
        var text = text
        return text.withUTF8 { matches(UnsafeRawBufferPointer($0), ignoringCase: ignoringCase) }
    }

    @inline(__always)
    static func equal(_ a: UInt8, _ b: UInt8, _ ignoringCase: Bool) -> Bool {
        ignoringCase ? lower(a) == lower(b) : a == b
    }

    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
}
