import Foundation
/// One compiled Sigma value: what a field's bytes are compared with.
///
/// Values without wildcards compile to plain equality, prefix, suffix or substring tests (the
/// common case: `eventName: CreateUser`, `userAgent|contains: boto3`); the rest to a
/// ``WildcardPattern``. Letters compare without case unless the rule says `cased` (and for
/// base64 forms, which are case-sensitive by nature).
struct BytePattern: Sendable, Hashable, CustomStringConvertible {
    enum Test: Sendable, Hashable {
        case equal([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case contains([UInt8])
        case wildcard(WildcardPattern)
    }

    let test: Test
    let ignoringCase: Bool
    /// The value as the rule wrote it (for explanations).
    let written: String

    /// `pattern` with the match kind's wildcards around it.
    init(_ pattern: WildcardPattern, kind: MatchKind, ignoringCase: Bool, written: String) {
        self.ignoringCase = ignoringCase
        self.written = written
        let lowered: ([UInt8]) -> [UInt8] = { ignoringCase ? $0.map(WildcardPattern.lower) : $0 }
        if let literal = pattern.literal {
            switch kind {
            case .equals: test = .equal(lowered(literal))
            case .startsWith: test = .prefix(lowered(literal))
            case .endsWith: test = .suffix(lowered(literal))
            case .contains: test = .contains(lowered(literal))
            }
        } else {
            let surrounded = pattern.surrounded(leading: kind == .contains || kind == .endsWith,
                                                trailing: kind == .contains || kind == .startsWith)
            test = .wildcard(surrounded)
        }
    }

    /// Plain bytes (a base64 form), compared as they are.
    init(bytes: [UInt8], kind: MatchKind, written: String) {
        self.init(WildcardPattern(tokens: bytes.map { .byte($0) }), kind: kind, ignoringCase: false, written: written)
    }

    enum MatchKind: Sendable, Hashable { case equals, startsWith, endsWith, contains }

    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        switch test {
        case .equal(let b): return text.count == b.count && Self.equal(text, 0, b, ignoringCase)
        case .prefix(let b): return text.count >= b.count && Self.equal(text, 0, b, ignoringCase)
        case .suffix(let b): return text.count >= b.count && Self.equal(text, text.count - b.count, b, ignoringCase)
        case .contains(let b):
            guard text.count >= b.count else { return false }
            if b.isEmpty { return true }
            if !ignoringCase { return b.withUnsafeBytes { Self.contains(text, $0) } }
            let first = b[0]
            for i in 0...(text.count - b.count) {
                let c = ignoringCase ? WildcardPattern.lower(text[i]) : text[i]
                if c == first, Self.equal(text, i, b, ignoringCase) { return true }
            }
            return false
        case .wildcard(let pattern): return pattern.matches(text, ignoringCase: ignoringCase)
        }
    }

    /// Whether `text` holds `needle` (not empty) byte for byte: `memchr` finds each candidate
    /// start, `memcmp` checks it.
    static func contains(_ text: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        let n = needle.count
        guard n > 0 else { return true }
        guard text.count >= n, let base = text.baseAddress, let wanted = needle.baseAddress else { return false }
        let first = Int32(needle[0])
        var offset = 0
        let last = text.count - n
        while offset <= last {
            guard let hit = memchr(base + offset, first, last - offset + 1) else { return false }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + at, wanted, n) == 0 { return true }
            offset = at + 1
        }
        return false
    }

    @inline(__always)
    private static func equal(_ text: UnsafeRawBufferPointer, _ at: Int, _ b: [UInt8], _ ignoringCase: Bool) -> Bool {
        var i = 0
        if ignoringCase {
            while i < b.count {
                if WildcardPattern.lower(text[at + i]) != b[i] { return false }
                i += 1
            }
        } else {
            while i < b.count {
                if text[at + i] != b[i] { return false }
                i += 1
            }
        }
        return true
    }

    var description: String { written }
}
