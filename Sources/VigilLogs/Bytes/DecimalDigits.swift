/// Reads the run of ASCII digits at the start of some bytes as an unsigned number, eight bytes at
/// a time where eight are left before the end (a word's digits found and converted with a few
/// multiplications instead of a branch and a multiplication per byte).
enum DecimalDigits {
    /// The digits at `p` (up to the first byte that is not one, or `end`): their value and count.
    /// The value is exact when there are at most 19 digits (it wraps beyond; callers refuse those).
    @inline(__always)
    static func read(at p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> (value: UInt64, digits: Int) {
        var q = p
        var value: UInt64 = 0
        while end - q >= 8 {
            let word = UnsafeRawPointer(q).loadUnaligned(as: UInt64.self).littleEndian
            let offsets = word ^ 0x3030_3030_3030_3030
            // A byte's high bit is set unless it is a digit: above 9 once its own high bit is set
            // aside (no carry can cross into the next byte), or its high bit set.
            let nonDigits = (((offsets & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | offsets) & 0x8080_8080_8080_8080
            let count = nonDigits == 0 ? 8 : nonDigits.trailingZeroBitCount >> 3
            if count == 0 { break }
            value = value &* powersOfTen[count] &+ eightDigits(offsets << (64 - 8 * UInt64(count)))
            q += count
            if count < 8 { return (value, q - p) }
        }
        while q < end {
            let digit = q.pointee &- 0x30
            if digit >= 10 { break }
            value = value &* 10 &+ UInt64(digit)
            q += 1
        }
        return (value, q - p)
    }

    /// The value of eight digit values, one a byte, the first in the lowest byte (leading zero
    /// bytes are leading zeros).
    @inline(__always)
    private static func eightDigits(_ digits: UInt64) -> UInt64 {
        var v = digits
        v = (v &* 10) &+ (v >> 8)
        v = ((v & 0x0000_00FF_0000_00FF) &* (100 + (1_000_000 << 32))) &+ (((v >> 16) & 0x0000_00FF_0000_00FF) &* (1 + (10_000 << 32)))
        return v >> 32
    }

    private static let powersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]
}
