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
        case .wildcard(let pattern): return pattern.matches(text, ignoringCase: ignoringCase)
        default:
            let (kind, bytes) = literal!
            return bytes.withUnsafeBytes { Self.matches(kind, $0, ignoringCase: ignoringCase, in: text) }
        }
    }

    /// The test and its bytes when the value has no wildcard (the common case), else `nil`.
    var literal: (kind: MatchKind, bytes: [UInt8])? {
        switch test {
        case .equal(let b): (.equals, b)
        case .prefix(let b): (.startsWith, b)
        case .suffix(let b): (.endsWith, b)
        case .contains(let b): (.contains, b)
        case .wildcard: nil
        }
    }

    /// Whether `text` passes a literal test: `pattern` compared as `kind` says, ASCII letters of
    /// `text` lowered first when `ignoringCase` (`pattern` is lower-cased already).
    @inline(__always)
    static func matches(_ kind: MatchKind, _ pattern: UnsafeRawBufferPointer, ignoringCase: Bool, in text: UnsafeRawBufferPointer) -> Bool {
        let n = pattern.count
        switch kind {
        case .equals: return text.count == n && equal(text, 0, pattern, ignoringCase)
        case .startsWith: return text.count >= n && equal(text, 0, pattern, ignoringCase)
        case .endsWith: return text.count >= n && equal(text, text.count - n, pattern, ignoringCase)
        case .contains:
            guard text.count >= n else { return false }
            guard n > 0 else { return true }
            if !ignoringCase { return contains(text, pattern) }
            let first = pattern[0]
            for i in 0...(text.count - n) where WildcardPattern.lower(text[i]) == first && equal(text, i, pattern, true) { return true }
            return false
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
    private static func equal(_ text: UnsafeRawBufferPointer, _ at: Int, _ pattern: UnsafeRawBufferPointer, _ ignoringCase: Bool) -> Bool {
        if !ignoringCase { return pattern.count == 0 || memcmp(text.baseAddress! + at, pattern.baseAddress!, pattern.count) == 0 }
        for i in 0..<pattern.count where WildcardPattern.lower(text[at + i]) != pattern[i] { return false }
        return true
    }

    var description: String { written }
}
