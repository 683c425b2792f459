/// An AWS account ID: twelve decimal digits, kept as their number (a key that needs no hashing and
/// no allocation) and written back zero-padded.
public struct AccountID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The digits as a number (0 ... 999,999,999,999).
    public let number: UInt64

    /// The account of records that name none (loose files without an S3 path): `000000000000`.
    public static let unknown = AccountID(number: 0)

    @usableFromInline init(number: UInt64) { self.number = number }

    /// Exactly twelve ASCII digits; anything else is not an account ID. Read as two words, eight
    /// and four digits at a time (every record names its account, so this is on the per-record path).
    @inlinable
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 12 else { return nil }
        let high = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        let low = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard AccountID.allDigits(high), AccountID.allDigits(UInt64(low) | 0x3030_3030_0000_0000) else { return nil }
        number = AccountID.eightDigits(high) &* 10_000 &+ AccountID.fourDigits(low)
    }

    /// Whether each of the eight bytes of `word` is an ASCII digit: its high nibble is 3 and its
    /// low nibble stays below 16 when 6 is added (no carry, so it was at most 9).
    @inlinable
    static func allDigits(_ word: UInt64) -> Bool {
        word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
            && (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
    }

    /// The number eight ASCII digits make, the first in the lowest byte.
    @inlinable
    static func eightDigits(_ word: UInt64) -> UInt64 {
        var value = word &- 0x3030_3030_3030_3030
        value = (value &* 10 &+ (value >> 8)) & 0x00FF_00FF_00FF_00FF  // pairs: 10a+b
        value = (value &* 100 &+ (value >> 16)) & 0x0000_FFFF_0000_FFFF  // quads
        return (value &* 10_000 &+ (value >> 32)) & 0xFFFF_FFFF
    }

    /// The number four ASCII digits make, the first in the lowest byte.
    @inlinable
    static func fourDigits(_ word: UInt32) -> UInt64 {
        var value = word &- 0x3030_3030
        value = (value &* 10 &+ (value >> 8)) & 0x00FF_00FF
        return UInt64((value &* 100 &+ (value >> 16)) & 0xFFFF)
    }

    public init?(_ text: some StringProtocol) {
        var copy = String(text)
        guard let parsed = copy.withUTF8({ AccountID(bytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Twelve digits, zero-padded (a small string: no allocation).
    public var description: String {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: 12)
        var rest = number
        var i = 11
        while rest > 0 && i >= 0 {
            digits[i] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            i -= 1
        }
        return String(decoding: digits, as: UTF8.self)
    }

    public static func < (a: AccountID, b: AccountID) -> Bool { a.number < b.number }
}
