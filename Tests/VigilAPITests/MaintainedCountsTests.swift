import Foundation
import Testing
import VigilModel
@testable import VigilStore
import VigilTesting

/// The finding counts each store keeps by trigger (SQLite's ``SQLiteFindingCounts``, PostgreSQL's `findingCount`) always equal a count of
/// the findings themselves, through merges that re-rate and move findings, archiving, and deletion;
/// and pages sorted by update time walk the ordered index without a total count.
@Suite struct MaintainedCountsTests {
    /// The groups of `selection`, once from the summary and once counted over the findings (an
    /// always-true test on `updatedAt`, a column the summary does not keep, forces the count).
    static func bothWays(_ store: any FindingStore, _ selection: FindingSelection, _ grouping: FindingSelection.Grouping) throws
        -> (kept: [String: [String]], counted: [String: [String]]) {
        var counting = selection
        counting.tests.append((.updatedAt, .between(above: 0, orEqual: true, below: nil, belowOrEqual: false)))
        #expect(selection.isCountedFromSummary(by: grouping))
        #expect(!counting.isCountedFromSummary(by: grouping))
        func table(_ groups: [(key: String, count: Int, last: String)]) -> [String: [String]] {
            Dictionary(uniqueKeysWithValues: groups.map { ($0.key, [String($0.count), $0.last]) })
        }
        return (table(try store.findingGroups(selection, by: grouping)), table(try store.findingGroups(counting, by: grouping)))
    }

    @Test(arguments: TestStore.allCases) func keptCountsEqualCountsAfterEveryKindOfChange(_ kind: TestStore) throws {
        let (store, _, remove) = try kind.make()
        defer { remove() }
        var random = SystemRandomNumberGenerator()
        let types = ["Recon:EC2/Portscan", "UnauthorizedAccess:EC2/SSHBruteForce", "Discovery:S3/TorIPCaller"]
        let severities: [Double] = [2, 5, 8]
        func stamp(_ minute: Int) -> String { "2026-10-01T\(String(format: "%02d", minute / 60 % 24)):\(String(format: "%02d", minute % 60)):00.000Z" }
        for round in 0..<6 {
            // New findings and updates of earlier ones: a new severity or type moves a finding between groups.
            let batch = (0..<120).map { _ in
                let id = "f\(Int.random(in: 0..<300, using: &random))"
                return StoreAndCriteriaTests.finding(id, type: types.randomElement(using: &random)!, severity: severities.randomElement(using: &random)!,
                                                     last: stamp(Int.random(in: 0..<1440, using: &random)))
            }
            try store.merge(batch)
            let ids = (0..<40).map { _ in "f\(Int.random(in: 0..<300, using: &random))" }
            try store.setArchived(round % 2 == 0, ids: ids, accountId: "123456789012")
            if round == 4 { try store.deleteFindings(storedBefore: Date().addingTimeInterval(60)) }
            var current = FindingSelection(accounts: ["123456789012"], region: "us-east-1")
            current.tests = [(.archived, .oneOf(["false"]))]
            var high = FindingSelection(accounts: ["123456789012"], region: "us-east-1")
            high.tests = [(.severity, .between(above: 7, orEqual: true, below: nil, belowOrEqual: false)), (.type, .matchesAny(["Recon:*"]))]
            for selection in [FindingSelection(accounts: ["123456789012"], region: "us-east-1"), current, high] {
                for grouping: FindingSelection.Grouping in [.severity, .type, .account] {
                    let (kept, counted) = try Self.bothWays(store, selection, grouping)
                    #expect(kept == counted, "round \(round), \(grouping)")
                }
            }
        }
        // Everything deleted: nothing is left counted.
        try store.deleteFindings(storedBefore: Date().addingTimeInterval(60))
        #expect(try store.findingGroups(FindingSelection(accounts: ["123456789012"], region: "us-east-1"), by: .severity).isEmpty)
    }

    @Test(arguments: TestStore.allCases) func pagesByUpdateTimeAreOrderedAndSayWhetherMoreFollow(_ kind: TestStore) throws {
        let (store, _, remove) = try kind.make()
        defer { remove() }
        try store.merge((0..<125).map { i in
            StoreAndCriteriaTests.finding("p\(i)", severity: i % 2 == 0 ? 8 : 3, last: "2026-10-01T00:\(String(format: "%02d", i % 60)):\(String(format: "%02d", i / 60)).000Z")
        })
        var high = FindingSelection(accounts: ["123456789012"], region: "us-east-1")
        high.tests = [(.severity, .between(above: 7, orEqual: true, below: nil, belowOrEqual: false))]
        var seen: [String] = []
        var offset = 0
        while true {
            let (ids, hasMore) = try store.findingIds(high, orderBy: .updatedAt, descending: true, limit: 20, offset: offset)
            seen += ids
            offset += ids.count
            if !hasMore { break }
            #expect(ids.count == 20)
        }
        let expected = (0..<125).filter { $0 % 2 == 0 }
            .sorted { a, b in (a % 60, a / 60, "p\(b)") > (b % 60, b / 60, "p\(a)") }.map { "p\($0)" }
        #expect(seen == expected)
    }
}
