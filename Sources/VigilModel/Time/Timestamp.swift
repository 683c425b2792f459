/// A point in event time: milliseconds since the Unix epoch, UTC.
///
/// Detection runs on event time, so this is the clock detectors see. It parses the ISO-8601 forms
/// AWS logs use (`2023-11-14T22:15:00Z`, with optional fractional seconds and numeric offsets)
/// straight from bytes, and prints GuardDuty's form (`2023-11-14T22:15:00.000Z`).
public struct Timestamp: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }
    public init(secondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = secondsSinceEpoch &* 1000 }

    public var secondsSinceEpoch: Int64 { millisecondsSinceEpoch >= 0 ? millisecondsSinceEpoch / 1000 : (millisecondsSinceEpoch - 999) / 1000 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    public func adding(seconds: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch &+ seconds &* 1000) }

    /// Parses ISO-8601 text.
    public init?(iso8601 text: some StringProtocol) {
        var copy = String(text)
        guard let parsed = copy.withUTF8({ Timestamp(iso8601: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM|±HHMM)` from bytes. A space may stand for `T`;
    /// a missing zone means UTC.
    public init?(iso8601 b: UnsafeRawBufferPointer) {
        let n = b.count
        guard n >= 19 else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let c = b[i]
            return c >= 0x30 && c <= 0x39 ? Int(c - 0x30) : nil
        }
        @inline(__always) func number(_ i: Int, _ count: Int) -> Int? {
            var v = 0
            for k in i..<(i + count) {
                guard let d = digit(k) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let year = number(0, 4), b[4] == 0x2D, let month = number(5, 2), b[7] == 0x2D,
              let day = number(8, 2), b[10] == 0x54 || b[10] == 0x20 || b[10] == 0x74,
              let hour = number(11, 2), b[13] == 0x3A, let minute = number(14, 2), b[16] == 0x3A,
              let second = number(17, 2),
              (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if i < n && b[i] == 0x2E {
            i += 1
            var scale = 100
            let start = i
            while i < n, let d = digit(i) {
                millis += d * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offsetSeconds = 0
        if i < n {
            let c = b[i]
            if c == 0x5A || c == 0x7A {
                i += 1
            } else if c == 0x2B || c == 0x2D {
                guard i + 3 <= n, let oh = number(i + 1, 2) else { return nil }
                var om = 0
                var j = i + 3
                if j < n && b[j] == 0x3A { j += 1 }
                if j + 2 <= n, let m = number(j, 2) { om = m; j += 2 }
                offsetSeconds = (oh * 3600 + om * 60) * (c == 0x2D ? -1 : 1)
                i = j
            } else {
                return nil
            }
        }
        guard i == n else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        self.init(millisecondsSinceEpoch: seconds * 1000 + Int64(millis))
    }

    /// GuardDuty's timestamp form: `2023-11-14T22:15:00.000Z`.
    public var iso8601: String {
        let seconds = secondsSinceEpoch
        let millis = Int(millisecondsSinceEpoch - seconds * 1000)
        var days = seconds / 86_400
        var rest = seconds - days * 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = Timestamp.civilFromDays(Int(days))
        let hour = Int(rest / 3600), minute = Int(rest / 60 % 60), second = Int(rest % 60)
        guard (0...9999).contains(y) else {
            func pad(_ v: Int, _ width: Int) -> String {
                let s = String(v)
                return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
            }
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
        }
        // `YYYY-MM-DDTHH:MM:SS.mmmZ`, written in place (one allocation: findings carry four of these).
        return String(unsafeUninitializedCapacity: 24) { text in
            func put(_ value: Int, digits: Int, at offset: Int) {
                var value = value
                for i in stride(from: offset + digits - 1, through: offset, by: -1) {
                    text[i] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(y, digits: 4, at: 0); text[4] = UInt8(ascii: "-")
            put(m, digits: 2, at: 5); text[7] = UInt8(ascii: "-")
            put(d, digits: 2, at: 8); text[10] = UInt8(ascii: "T")
            put(hour, digits: 2, at: 11); text[13] = UInt8(ascii: ":")
            put(minute, digits: 2, at: 14); text[16] = UInt8(ascii: ":")
            put(second, digits: 2, at: 17); text[19] = UInt8(ascii: ".")
            put(millis, digits: 3, at: 20); text[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    public var description: String { iso8601 }

    /// Year, month and day (UTC).
    public var civilDate: (year: Int, month: Int, day: Int) {
        var days = secondsSinceEpoch / 86_400
        if secondsSinceEpoch < 0 && secondsSinceEpoch % 86_400 != 0 { days -= 1 }
        return Timestamp.civilFromDays(Int(days))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
