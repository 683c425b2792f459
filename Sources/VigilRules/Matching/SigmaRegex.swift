import CVigilRegex

/// A `re` value compiled with PCRE2 (the Perl-compatible expressions Sigma rules are written
/// for), JIT-compiled where the machine allows: an unanchored search, as Sigma's `re` means, with
/// the `i`, `m` and `s` sub-modifiers.
///
/// Field values are attacker-controlled, so a search is bounded: one that needs more than
/// ``matchLimit`` backtracking steps ends as no match rather than holding the analysis (a rule's
/// careless `(a+)+` cannot be turned against Vigil by a crafted user agent). Immutable once made;
/// searched from several threads at once (each has match data of its own).
final class SigmaRegex: @unchecked Sendable, CustomStringConvertible {
    /// The most backtracking steps one search may take.
    static let matchLimit: UInt32 = 100_000

    private let compiled: OpaquePointer
    let written: String
    /// A literal every match contains, tested first (see ``RegexPrefilter``).
    let prefilter: BytePattern?

    /// Why a pattern does not compile: PCRE2's reason and the byte offset it names.
    struct CompileError: Error, CustomStringConvertible {
        let reason: String
        let offset: Int
        var description: String { "\(reason) (at byte \(offset))" }
    }

    init(_ pattern: String, ignoringCase: Bool, multiline: Bool, dotAll: Bool) throws {
        var flags: UInt32 = 0
        if ignoringCase { flags |= UInt32(VR_CASELESS) }
        if multiline { flags |= UInt32(VR_MULTILINE) }
        if dotAll { flags |= UInt32(VR_DOTALL) }
        var reason = [CChar](repeating: 0, count: 256)
        var offset = 0
        var text = pattern
        let made = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                vr_compile($0.baseAddress, $0.count, flags, Self.matchLimit, &reason, reason.count, &offset)
            }
        }
        guard let made else {
            throw CompileError(reason: String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), offset: offset)
        }
        compiled = made
        written = pattern
        // Multi-line or dot-all flags do not change what literals a match holds; case does.
        prefilter = RegexPrefilter.requiredLiteral(pattern).map {
            BytePattern(WildcardPattern(tokens: $0.utf8.map { .byte($0) }), kind: .contains, ignoringCase: ignoringCase, written: $0)
        }
    }

    deinit { vr_free(compiled) }

    /// Whether the expression matches anywhere in `text` (any bytes; a search abandoned at the
    /// limit does not match).
    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        if let prefilter, !prefilter.matches(text) { return false }
        return vr_search(compiled, text.baseAddress?.assumingMemoryBound(to: UInt8.self), text.count) == Int32(VR_MATCH)
    }

    /// How many searches ended at ``matchLimit`` (and so did not match) since the expression was
    /// made, from every thread: a value built against the expression, or an expression that
    /// backtracks on ordinary values — either way the rule's author and the operator should know.
    var searchesGivenUp: Int { Int(vr_searches_given_up(compiled)) }

    var description: String { "/\(written)/" }
}
