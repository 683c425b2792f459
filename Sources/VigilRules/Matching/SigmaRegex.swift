/// A `re` value compiled with Swift's regular expressions: an unanchored search, as Sigma's
/// `re` means, with the `i`, `m` and `s` sub-modifiers.
struct SigmaRegex: @unchecked Sendable, CustomStringConvertible {
    // `Regex` is immutable once made; matching from several threads is safe.
    let regex: Regex<AnyRegexOutput>
    let written: String

    init(_ pattern: String, ignoringCase: Bool, multiline: Bool, dotAll: Bool) throws {
        var regex = try Regex(pattern)
        if ignoringCase { regex = regex.ignoresCase() }
        if multiline { regex = regex.anchorsMatchLineEndings() }
        if dotAll { regex = regex.dotMatchesNewlines() }
        self.regex = regex
        written = pattern
    }

    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        let string = String(decoding: text, as: UTF8.self)
        return (try? regex.firstMatch(in: string)) != nil
    }

    var description: String { "/\(written)/" }
}
