import Foundation

/// Writes JSON text from the values `JSONSerialization` takes (dictionaries with `String` keys,
/// arrays, strings, booleans, integers, floating-point numbers, `NSNull`), keys sorted — the same
/// text, without Foundation's bridging through `NSDictionary` (findings' `additionalInfo` is written
/// this way for every finding of a scan).
public enum JSONText {
    /// The text of `value`; values JSON cannot hold are written as `null`.
    public static func write(_ value: Any) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// The text of an object of strings and lists of strings, keys sorted: the same text as
    /// ``write(_:)`` of the merged dictionary, without boxing each value (findings' `additionalInfo`
    /// is written this way). A key in both is written from `lists`.
    public static func object(strings: [String: String], lists: [String: [String]]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        out.append(UInt8(ascii: "{"))
        var keys = Array(strings.keys.filter { lists[$0] == nil })
        keys += lists.keys
        keys.sort()
        for (index, key) in keys.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            if let list = lists[key] {
                out.append(UInt8(ascii: "["))
                for (position, element) in list.enumerated() {
                    if position > 0 { out.append(UInt8(ascii: ",")) }
                    appendString(element, to: &out)
                }
                out.append(UInt8(ascii: "]"))
            } else {
                appendString(strings[key]!, to: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// The UTF-8 bytes of `value`'s text.
    public static func bytes(_ value: Any) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        append(value, to: &out)
        return out
    }

    private static func append(_ value: Any, to out: inout [UInt8]) {
        // What JSONSerialization made: NSNumber, its booleans of type code "c".
        if type(of: value) is NSNumber.Type, let number = value as? NSNumber {
            switch String(cString: number.objCType) {
            case "c", "B": append(number.boolValue, to: &out)
            case "f", "d": append(number.doubleValue, to: &out)
            default: append(number.int64Value, to: &out)
            }
            return
        }
        if type(of: value) == Bool.self, let flag = value as? Bool {
            out += Array((flag ? "true" : "false").utf8)
            return
        }
        switch value {
        case let text as String:
            appendString(text, to: &out)
        case let number as Int:
            appendInteger(Int64(number), to: &out)
        case let number as Int64:
            appendInteger(number, to: &out)
        case let number as UInt64:
            out += Array(String(number).utf8)
        case let number as UInt32:
            appendInteger(Int64(number), to: &out)
        case let number as Int32:
            appendInteger(Int64(number), to: &out)
        case let number as Double:
            if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
                appendInteger(Int64(number), to: &out)
            } else if number.isFinite {
                out += Array("\(number)".utf8)
            } else {
                out += Array("null".utf8)
            }
        case let object as [String: Any]:
            out.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                append(object[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let list as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, element) in list.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let typed as any RawRepresentable:
            // Typed constants (statuses, finding types) are written as their raw values.
            append(typed.rawValue, to: &out)
        default:
            out += Array("null".utf8)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Runs that need no escape (almost every string) are copied whole.
            var start = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                start = i + 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
                case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                default:
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30])
                    out.append(hexDigits[Int(byte >> 4)]); out.append(hexDigits[Int(byte & 0xF)])
                }
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Writes `number` in decimal without making a `String` of it.
    private static func appendInteger(_ number: Int64, to out: inout [UInt8]) {
        if number < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }
}
