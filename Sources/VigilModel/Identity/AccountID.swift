/// An AWS account ID: twelve decimal digits, kept as their number (a key that needs no hashing and
/// no allocation) and written back zero-padded.
public struct AccountID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The digits as a number (0 ... 999,999,999,999).
    public let number: UInt64

    /// The account of records that name none (loose files without an S3 path): `000000000000`.
    public static let unknown = AccountID(number: 0)

    init(number: UInt64) { self.number = number }

    /// Exactly twelve ASCII digits; anything else is not an account ID.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 12 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        number = value
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
