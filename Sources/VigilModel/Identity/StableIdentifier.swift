import Crypto

/// Identifiers derived from what they identify, the same in every run and on every node: finding
/// IDs from their aggregation identity, detector IDs from account and region, so replaying logs
/// updates findings instead of duplicating them and every node names a detector alike.
public enum StableIdentifier {
    /// 32 hex digits: the first half of SHA-256 over `parts`, each followed by a zero byte (so
    /// `["ab", "c"]` and `["a", "bc"]` differ).
    public static func hex(_ parts: [String]) -> String {
        var hasher = SHA256()
        let separator: UInt8 = 0
        for var part in parts {
            part.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            withUnsafeBytes(of: separator) { hasher.update(bufferPointer: $0) }
        }
        let digest = hasher.finalize()
        return digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 32) { out in
                for i in 0..<16 {
                    out[2 * i] = hexDigits[Int(bytes[i] >> 4)]
                    out[2 * i + 1] = hexDigits[Int(bytes[i] & 0xf)]
                }
                return 32
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The detector ID of an account in a region.
    public static func detector(accountId: String, region: String) -> String {
        hex(["detector", accountId, region])
    }
}
