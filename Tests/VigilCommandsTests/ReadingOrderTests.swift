import Testing
import VigilPipeline

/// A batch scan reads the accounts of a listing interleaved, each account's logs in their order,
/// and never moves anything across a file of any account's records.
@Suite struct ReadingOrderTests {
    static func trail(_ account: String, _ n: Int) -> String {
        "logs/AWSLogs/\(account)/CloudTrail/us-east-1/2026/11/30/\(account)_CloudTrail_us-east-1_20261130T\(n)Z.json.gz"
    }

    @Test func interleavesAccountsAndKeepsEachOnesOrder() {
        let a = (0..<5).map { Self.trail("111111111111", $0) }
        let b = (0..<2).map { Self.trail("222222222222", $0) }
        let c = (0..<3).map { Self.trail("333333333333", $0) }
        let ordered = ReadingOrder.interleavingAccounts(a + b + c) { $0 }
        #expect(ordered == [a[0], b[0], c[0], a[1], b[1], c[1], a[2], c[2], a[3], a[4]])
    }

    @Test func filesOfAnyAccountAreFences() {
        let a = (0..<3).map { Self.trail("111111111111", $0) }
        let b = (0..<3).map { Self.trail("222222222222", $0) }
        let loose = "exports/mixed-trail.jsonl"
        // Nothing listed before the loose file is read after it, nor anything after it before.
        let ordered = ReadingOrder.interleavingAccounts([a[0], a[1], b[0], loose, a[2], b[1], b[2]]) { $0 }
        #expect(ordered == [a[0], b[0], a[1], loose, a[2], b[1], b[2]])
        #expect(ReadingOrder.interleavingAccounts([String]()) { $0 }.isEmpty)
        #expect(ReadingOrder.interleavingAccounts([loose, loose]) { $0 } == [loose, loose])
    }
}
