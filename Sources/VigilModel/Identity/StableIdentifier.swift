import Crypto

/// Identifiers derived from what they identify, the same in every run and on every node: finding
/// IDs from their aggregation identity, detector IDs from account and region, so replaying logs
/// updates findings instead of duplicating them and every node names a detector alike.
public enum StableIdentifier {
    /// 32 hex digits: the first half of SHA-256 over `parts`, each followed by a zero byte (so
    /// `["ab", "c"]` and `["a", "bc"]` differ).
    public static func hex(_ parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            hasher.update(data: Array(part.utf8))
            hasher.update(data: [0])
        }
        let digest = hasher.finalize()
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(32)
        for byte in digest.prefix(16) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The detector ID of an account in a region.
    public static func detector(accountId: String, region: String) -> String {
        hex(["detector", accountId, region])
    }
}
