import Testing
import VigilModel

/// The one byte hash: FNV-1a's published test vectors, and its forms agreeing with each other.
@Suite struct ByteHashTests {
    @Test func matchesPublishedVectors() {
        #expect(ByteHash.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(ByteHash.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(ByteHash.fnv1a("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func formsAgree() {
        let text = "Example.COM"
        var lowered = ByteHash()
        for byte in text.utf8 { lowered.addLowercased(byte) }
        #expect(lowered.value == ByteHash.fnv1a("example.com"))
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { ByteHash.fnv1a($0) } == ByteHash.fnv1a(text))
        #expect(ByteHash.fnv1a("a") != ByteHash.fnv1a("b"))
    }

    @Test func stableIdentifiersSeparateTheirParts() {
        #expect(StableIdentifier.hex(["ab", "c"]) != StableIdentifier.hex(["a", "bc"]))
        #expect(StableIdentifier.detector(accountId: "111111111111", region: "us-east-1").count == 32)
        #expect(StableIdentifier.detector(accountId: "111111111111", region: "us-east-1")
            == StableIdentifier.detector(accountId: "111111111111", region: "us-east-1"))
    }
}
