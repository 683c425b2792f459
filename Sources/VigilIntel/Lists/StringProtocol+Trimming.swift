extension StringProtocol {
    /// Without leading and trailing horizontal whitespace (spaces, tabs and Unicode spaces, not line
    /// breaks) — the same as Foundation's `trimmingCharacters(in: .whitespaces)`, without bridging
    /// every line of a list through `NSString`. ASCII spaces and tabs are stripped on the UTF-8
    /// bytes; only a non-ASCII character at either end is judged as a `Character`.
    var trimmingSpaces: SubSequence {
        let bytes = utf8
        var start = bytes.startIndex
        while start < bytes.endIndex, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        var end = start, last: UInt8 = 0
        var i = start
        while i < bytes.endIndex {
            let byte = bytes[i]
            i = bytes.index(after: i)
            if byte != 0x20 && byte != 0x09 {
                end = i
                last = byte
            }
        }
        // Both ends ASCII: they are Character boundaries too (a space or tab never joins the
        // character after it, and nothing joins an ASCII character to a following space).
        let asciiTrimmed = start == end || (bytes[start] < 0x80 && last < 0x80)
        if asciiTrimmed { return self[start..<end] }
        // Otherwise trim Character by Character from the ends, as a combining mark after a space
        // makes one Character of the two and a byte offset could fall inside it.
        start = startIndex
        end = endIndex
        while start < end, self[start].isWhitespace, !self[start].isNewline { start = index(after: start) }
        while end > start {
            let previous = index(before: end)
            guard self[previous].isWhitespace, !self[previous].isNewline else { break }
            end = previous
        }
        return self[start..<end]
    }

    /// The index of the first byte `byte` (an ASCII character), found on the UTF-8 bytes.
    func firstIndex(ofASCII byte: UInt8) -> Index? {
        utf8.firstIndex(of: byte)
    }

    /// The first occurrence of the ASCII sequence `needle`, found on the UTF-8 bytes.
    func firstRange(ofASCII needle: StaticString) -> Range<Index>? {
        let bytes = utf8
        let count = needle.utf8CodeUnitCount
        guard count > 0 else { return nil }
        return needle.withUTF8Buffer { pattern -> Range<Index>? in
            var candidate = bytes.startIndex
            while let first = bytes[candidate...].firstIndex(of: pattern[0]) {
                var i = first, k = 0
                while k < count, i < bytes.endIndex, bytes[i] == pattern[k] {
                    i = bytes.index(after: i)
                    k += 1
                }
                if k == count { return first..<i }
                candidate = bytes.index(after: first)
            }
            return nil
        }
    }

    /// How many times the ASCII byte `byte` occurs.
    func count(ofASCII byte: UInt8) -> Int {
        var n = 0
        for b in utf8 where b == byte { n += 1 }
        return n
    }
}
