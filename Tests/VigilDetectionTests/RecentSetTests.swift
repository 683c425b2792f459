import Testing
import VigilDetection

/// The window of recent keys: a key inside the last `capacity` is refused, salts tell roles apart,
/// and what falls out of both generations is forgotten.
@Suite struct RecentSetTests {
    static func inserting(_ text: String, into set: RecentSet, salt: UInt64 = 0) -> Bool {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { set.insert(UnsafeRawBufferPointer($0), salt: salt) }
    }

    @Test func refusesEveryKeyOfTheWindowAcrossGrowthAndGenerations() {
        let set = RecentSet(capacity: 4096)
        // Far more keys than the capacity: the tables grow, then generations turn over.
        for i in 0..<20_000 {
            #expect(Self.inserting("event-\(i)", into: set), "key \(i) is new")
            if i % 7 == 0 {
                // Every key among the last `capacity` is still refused.
                let back = i - Int(UInt(truncatingIfNeeded: i &* 2_654_435_761) % 4096)
                if back >= 0 { #expect(!Self.inserting("event-\(back)", into: set), "key \(back) at \(i)") }
            }
        }
        #expect(!Self.inserting("event-19999", into: set))
        // Two whole generations later the first keys are forgotten.
        #expect(Self.inserting("event-0", into: set))
    }

    @Test func saltsKeepRolesApartAndEmptyKeysCount() {
        let set = RecentSet(capacity: 1024)
        #expect(Self.inserting("e1", into: set, salt: 1))
        #expect(Self.inserting("e1", into: set, salt: 2))
        #expect(!Self.inserting("e1", into: set, salt: 1))
        #expect(Self.inserting("", into: set))
        #expect(!Self.inserting("", into: set))
    }
}
