import Testing
@testable import VigilLogs

/// Digits read a word at a time give what reading them one by one gives, wherever the run ends —
/// inside a word, at its edge, at the end of the bytes — and whatever byte ends it.
@Suite struct DecimalDigitsTests {
    static func oneByOne(_ bytes: [UInt8]) -> (UInt64, Int) {
        var value: UInt64 = 0
        var count = 0
        for byte in bytes {
            let digit = byte &- 0x30
            if digit >= 10 { break }
            value = value &* 10 &+ UInt64(digit)
            count += 1
        }
        return (value, count)
    }

    @Test func agreesWithReadingByteByByte() {
        var generator = SystemRandomNumberGenerator()
        // Enders: separators, letters, bytes just outside the digits, and bytes with the high bit set.
        let enders: [UInt8] = [0x20, 0x0A, 0x2D, 0x2E, 0x2F, 0x3A, 0x41, 0x61, 0x00, 0x7F, 0x80, 0xB0, 0xBA, 0xFF]
        for _ in 0..<50_000 {
            let length = Int.random(in: 0...24, using: &generator)
            var bytes = (0..<length).map { _ in UInt8(0x30 + Int.random(in: 0...9, using: &generator)) }
            if Bool.random(using: &generator) { bytes.append(enders.randomElement(using: &generator)!) }
            bytes += (0..<Int.random(in: 0...12, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Self.oneByOne(bytes)
            let got = bytes.withUnsafeBufferPointer { buffer in
                DecimalDigits.read(at: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, end: (buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!) + buffer.count)
            }
            if got.value != expected.0 || got.digits != expected.1 {
                Issue.record("\(bytes): \(got), not \(expected)")
                return
            }
        }
    }

    @Test func readsNumbersAsFlowLogsHoldThem() {
        for text in ["1418530010 ", "0", "65535\n", "18446744073709551615", "9999999999999999999 x", "00000000000042-"] {
            let bytes = Array(text.utf8)
            let got = bytes.withUnsafeBufferPointer { DecimalDigits.read(at: $0.baseAddress!, end: $0.baseAddress! + $0.count) }
            let expected = Self.oneByOne(bytes)
            #expect(got.value == expected.0 && got.digits == expected.1, "\(text)")
        }
    }
}
