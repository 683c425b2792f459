import Foundation
import Testing
@testable import VigilDetection
import VigilSimulation

/// A profile's frequency table judges a value against its heaviest one, which the table keeps as
/// it changes: every judgement must equal the one made from the entries themselves.
@Suite struct FrequencyTableTests {
    /// The judgement from the definition: the value's weight against the largest of all weights.
    static func judged(_ table: FrequencyTable, _ id: Int32) -> ProfileFrequency {
        guard let w = table.weight(of: id) else { return .unseen }
        let heaviest = table.entries.map(\.weight).max()!
        if w < 1.5 || w < heaviest * 0.01 { return .rare }
        return w >= heaviest * 0.1 ? .frequent : .infrequent
    }

    @Test func keepsItsHeaviestThroughEveryChange() throws {
        var generator = SplitMix64(state: 7)
        for capacity in [1, 2, 12, 96] {
            var table = FrequencyTable(capacity: capacity)
            var hour: Int32 = 0
            for step in 0..<2_000 {
                // Skewed values (a few common, many rare), new hours now and then, decay now and then.
                let uniform = Double(generator.next() >> 11) / Double(1 << 53)
                let spread = -log(max(uniform, 0.0001)) * Double(capacity) / 2
                let id = Int32(min(Double(capacity * 3), spread))
                if step % 7 == 0 { hour += 1 }
                table.add(id, hour: hour)
                if step % 97 == 0 { table.decay(by: Float(0.05 + 0.94 * uniform)) }
                for probe in Int32(0)...Int32(capacity * 3) where table.frequency(of: probe) != Self.judged(table, probe) {
                    Issue.record("capacity \(capacity), step \(step): \(probe) judged \(table.frequency(of: probe)), not \(Self.judged(table, probe))")
                    return
                }
            }
        }
    }

    @Test func recomputesItsHeaviestWhenRead() throws {
        var table = FrequencyTable(capacity: 12)
        for hour in Int32(0)..<20 { table.add(1, hour: hour) }
        table.add(2, hour: 20)
        let read = try JSONDecoder().decode(FrequencyTable.self, from: JSONEncoder().encode(table))
        #expect(read.entries.count == 2)
        #expect(read.frequency(of: 1) == .frequent)
        #expect(read.frequency(of: 2) == Self.judged(read, 2))
        // What is written is what it was before the table kept its heaviest.
        let written = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(table)) as? [String: Any])
        #expect(Set(written.keys) == ["entries", "capacity"])
    }
}
