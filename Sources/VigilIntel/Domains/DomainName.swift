import VigilModel

/// Domain-name text as Vigil compares it: lower-case ASCII, no trailing dot.
public enum DomainName {
    /// `Example.COM.` → `example.com`. Returns `nil` for an empty name or one with empty labels.
    public static func normalize(_ name: some StringProtocol) -> String? {
        var text = name.lowercased()
        while text.hasSuffix(".") { text.removeLast() }
        while text.hasPrefix("*.") { text.removeFirst(2) }
        guard !text.isEmpty, !text.hasPrefix("."), text.firstRange(ofASCII: "..") == nil, text.firstIndex(ofASCII: 0x20) == nil else { return nil }
        return text
    }

    /// Whether `text` looks like a domain name (letters, digits, hyphens, underscores and dots,
    /// with at least one dot, not an IP address).
    public static func isPlausible(_ text: String) -> Bool {
        guard text.contains("."), text.utf8.count <= 253 else { return false }
        var allDigitsOrDots = true
        for c in text.utf8 {
            let ok = (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E || c == 0x5F || c >= 0x80
            if !ok { return false }
            if !((c >= 0x30 && c <= 0x39) || c == 0x2E) { allDigitsOrDots = false }
        }
        return !allDigitsOrDots
    }

    /// Hash of the suffixes of a name, right to left: calls `body` with the hash of every suffix
    /// that starts at a label boundary (`com`, `example.com`, `www.example.com`), shortest first,
    /// and the suffix's byte offset. Bytes are lower-cased and a trailing dot is ignored, so
    /// `WWW.Example.com.` hashes like `www.example.com`. Stops when `body` returns `false`.
    @inlinable
    public static func forEachSuffixHash(_ bytes: UnsafeRawBufferPointer, _ body: (UInt64, Int) -> Bool) {
        var end = bytes.count
        while end > 0 && bytes[end - 1] == 0x2E { end -= 1 }
        guard end > 0 else { return }
        var hash = ByteHash()
        var i = end - 1
        while true {
            let c = bytes[i]
            if c == 0x2E {
                if !body(hash.value, i + 1) { return }
            }
            hash.addLowercased(c)
            if i == 0 { break }
            i -= 1
        }
        _ = body(hash.value, 0)
    }

    /// The right-to-left hash of a whole (normalized) name, as ``forEachSuffixHash(_:_:)`` computes it.
    public static func hash(_ name: String) -> UInt64 {
        var result: UInt64 = 0
        var copy = name
        copy.withUTF8 { buffer in
            forEachSuffixHash(UnsafeRawBufferPointer(buffer)) { h, offset in
                if offset == 0 { result = h }
                return true
            }
        }
        return result
    }
}
