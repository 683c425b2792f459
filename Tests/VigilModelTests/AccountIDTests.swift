import Testing
import VigilModel

@Suite struct AccountIDTests {
    /// The account ID twelve bytes make by the plain definition: each an ASCII digit.
    static func reference(_ bytes: [UInt8]) -> UInt64? {
        guard bytes.count == 12 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    static func parse(_ bytes: [UInt8]) -> UInt64? {
        bytes.withUnsafeBytes { AccountID(bytes: $0)?.number }
    }

    @Test func readsTwelveDigits() {
        #expect(Self.parse(Array("123456789012".utf8)) == 123_456_789_012)
        #expect(Self.parse(Array("000000000000".utf8)) == 0)
        #expect(Self.parse(Array("999999999999".utf8)) == 999_999_999_999)
        #expect(Self.parse(Array("000000000007".utf8)) == 7)
        #expect(AccountID("111122223333")?.description == "111122223333")
    }

    @Test func refusesAnythingElse() {
        #expect(Self.parse(Array("12345678901".utf8)) == nil)
        #expect(Self.parse(Array("1234567890123".utf8)) == nil)
        #expect(Self.parse([]) == nil)
        // Every position, with the bytes around the digits and those whose nibbles look like one.
        for position in 0..<12 {
            for bad: UInt8 in [0x2F, 0x3A, 0x3F, 0x20, 0x00, 0x13, 0x70, 0xB0, 0xB9, 0xF5, 0x2D] {
                var bytes = Array("123456789012".utf8)
                bytes[position] = bad
                #expect(Self.parse(bytes) == nil, "byte \(bad) at \(position)")
            }
        }
    }

    @Test func agreesWithTheDigitByDigitDefinition() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<50_000 {
            // Mostly digits, with a stray byte now and then, so both answers are exercised.
            let bytes = (0..<12).map { _ -> UInt8 in
                round % 3 == 0 && UInt8.random(in: 0...15, using: &generator) == 0
                    ? UInt8.random(in: 0...255, using: &generator) : UInt8.random(in: 0x30...0x39, using: &generator)
            }
            #expect(Self.parse(bytes) == Self.reference(bytes), "\(bytes)")
        }
    }
}
