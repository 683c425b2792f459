/// A fast 64-bit hash of bytes taken eight at a time, for keys that live only in memory: tables
/// whose entries are compared byte for byte on a hit, or whose collisions only cost a missed
/// count. Not stable across versions and not keyed — never persist it (``ByteHash`` is the stable
/// one) and never let a collision decide what an attacker's record means.
public enum WordHash {
    /// Mixes `bytes` into `seed`: their length, each eight-byte word, then the tail.
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var hash = mix(seed ^ UInt64(bytes.count))
        var i = 0
        while i + 8 <= bytes.count {
            hash = mix(hash ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        while i < bytes.count {
            tail = tail << 8 | UInt64(bytes[i])
            i += 1
        }
        return mix(hash ^ tail ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// A 64-bit finaliser: every input bit moves about half the output bits.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var x = (value ^ (value >> 32)) &* 0xD6E8_FEB8_6659_FD93
        x = (x ^ (x >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return x ^ (x >> 32)
    }
}
