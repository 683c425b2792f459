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
        // Stores and other nodes hold these: they never change (SHA-256 over the parts, each
        // followed by a zero byte, first half in hex — computed here with Python's hashlib).
        #expect(StableIdentifier.detector(accountId: "111111111111", region: "us-east-1") == "b5207442006f4c9660b2a289471f2280")
        #expect(StableIdentifier.hex(["finding", "111122223333", "us-east-1", "Recon:EC2/Portscan", "i-0abc", "198.51.100.7"])
            == "bed54a28a3dab1c61c3265fea131c41b")
    }
}
