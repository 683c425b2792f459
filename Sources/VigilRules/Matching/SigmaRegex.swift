/// A `re` value compiled with Swift's regular expressions: an unanchored search, as Sigma's
/// `re` means, with the `i`, `m` and `s` sub-modifiers.
struct SigmaRegex: @unchecked Sendable, CustomStringConvertible {
    // `Regex` is immutable once made; matching from several threads is safe.
    let regex: Regex<AnyRegexOutput>
    let written: String
    /// A literal every match contains, tested first (see ``RegexPrefilter``).
    let prefilter: BytePattern?

    init(_ pattern: String, ignoringCase: Bool, multiline: Bool, dotAll: Bool) throws {
        var regex = try Regex(pattern)
        if ignoringCase { regex = regex.ignoresCase() }
        if multiline { regex = regex.anchorsMatchLineEndings() }
        if dotAll { regex = regex.dotMatchesNewlines() }
        self.regex = regex
        written = pattern
        // Multi-line or dot-all flags do not change what literals a match holds; case does.
        prefilter = RegexPrefilter.requiredLiteral(pattern).map {
            BytePattern(WildcardPattern(tokens: $0.utf8.map { .byte($0) }), kind: .contains, ignoringCase: ignoringCase, written: $0)
        }
    }

    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        if let prefilter, !prefilter.matches(text) { return false }
        let string = String(decoding: text, as: UTF8.self)
        return (try? regex.firstMatch(in: string)) != nil
    }

    var description: String { "/\(written)/" }
}
