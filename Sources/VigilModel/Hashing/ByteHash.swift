/// 64-bit FNV-1a: the one fast, stable hash Vigil uses for keys read from logs, names from the
/// configuration, and seeds. Stable across runs and platforms (learned state and folds depend on
/// it), not keyed — never use it where an attacker choosing colliding inputs would matter more than
/// speed; the tables it feeds are bounded whatever the collisions.
///
/// Either in one call (``fnv1a(_:)-(UnsafeRawBufferPointer)``) or byte by byte, for callers that
/// hash while scanning (``add(_:)``, ``addLowercased(_:)``).
public struct ByteHash: Sendable {
    @usableFromInline static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    @usableFromInline static let prime: UInt64 = 0x100_0000_01b3

    /// The hash of the bytes added so far.
    @usableFromInline var state: UInt64
    public var value: UInt64 { state }

    @inlinable
    public init() { state = Self.offsetBasis }

    @inlinable
    public mutating func add(_ byte: UInt8) {
        state = (state ^ UInt64(byte)) &* Self.prime
    }

    /// Adds an ASCII letter as its lower-case form (other bytes unchanged), so `WWW.Example` and
    /// `www.example` hash alike.
    @inlinable
    public mutating func addLowercased(_ byte: UInt8) {
        add((byte &- 0x41) < 26 ? byte | 0x20 : byte)
    }

    @inlinable
    public static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = ByteHash()
        for byte in bytes { hash.add(byte) }
        return hash.value
    }

    /// Over a string's UTF-8 bytes (names from configuration and findings; not the hot path).
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash = ByteHash()
        for byte in text.utf8 { hash.add(byte) }
        return hash.value
    }

    /// `value` with its bits mixed further (MurmurHash3's finaliser), for taking it modulo a small
    /// number: FNV-1a's low bits alone are weak.
    @inlinable
    public var mixed: UInt64 { Self.mix(value) }

    /// `hash` with its bits mixed further (MurmurHash3's finaliser).
    @inlinable
    public static func mix(_ hash: UInt64) -> UInt64 {
        var h = hash
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}
