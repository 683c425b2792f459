extension StringProtocol {
    /// Without leading and trailing horizontal whitespace (spaces, tabs and Unicode spaces, not line
    /// breaks) — the same as Foundation's `trimmingCharacters(in: .whitespaces)`, without bridging
    /// every line of a list through `NSString`.
    var trimmingSpaces: SubSequence {
        var start = startIndex, end = endIndex
        while start < end, self[start].isWhitespace, !self[start].isNewline { start = index(after: start) }
        while end > start {
            let previous = index(before: end)
            guard self[previous].isWhitespace, !self[previous].isNewline else { break }
            end = previous
        }
        return self[start..<end]
    }
}
