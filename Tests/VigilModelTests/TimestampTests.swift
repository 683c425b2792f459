import Testing
import VigilModel

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2023-11-14T22:15:00Z", Int64(1_700_000_100_000)),
        ("2023-11-14T22:15:00.123Z", 1_700_000_100_123),
        ("2023-11-14T22:15:00.5Z", 1_700_000_100_500),
        ("2023-11-14T23:15:00+01:00", 1_700_000_100_000),
        ("2023-11-14T21:15:00-0100", 1_700_000_100_000),
        ("2023-11-14 22:15:00", 1_700_000_100_000),
        ("1970-01-01T00:00:00Z", 0),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
    ])
    func parses(text: String, millis: Int64) throws {
        #expect(try #require(Timestamp(iso8601: text)).millisecondsSinceEpoch == millis)
    }

    @Test(arguments: ["", "...", "2023-11-14", "2023-13-01T00:00:00Z", "2023-02-30T00:00:00Z", "2023-11-14T25:00:00Z",
                      "2023-11-14T22:15:00Zjunk", "2023-11-14T22:15:00.Z", "abcd-11-14T22:15:00Z"])
    func rejects(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    /// Printed in place, then read back: the same instant, for instants over ten millennia (and
    /// outside them, the long form).
    @Test func printsWhatItReads() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let millis = Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &generator)
            let text = Timestamp(millisecondsSinceEpoch: millis).iso8601
            #expect(text.utf8.count == 24)
            #expect(try #require(Timestamp(iso8601: text)).millisecondsSinceEpoch == millis)
        }
        #expect(Timestamp(millisecondsSinceEpoch: 253_402_300_800_000).iso8601 == "10000-01-01T00:00:00.000Z")
    }

    @Test func printsGuardDutyForm() {
        #expect(Timestamp(millisecondsSinceEpoch: 1_700_000_100_123).iso8601 == "2023-11-14T22:15:00.123Z")
        #expect(Timestamp(millisecondsSinceEpoch: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: -1000).iso8601 == "1969-12-31T23:59:59.000Z")
    }

    @Test func roundTripsAcrossYears() throws {
        var t = Timestamp(secondsSinceEpoch: -86_400 * 365 * 3)
        while t.secondsSinceEpoch < 4_102_444_800 {
            #expect(try #require(Timestamp(iso8601: t.iso8601)) == t)
            t = t.adding(seconds: 86_400 * 37 + 3_601)
        }
    }
}
