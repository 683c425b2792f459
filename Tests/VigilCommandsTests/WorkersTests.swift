import Foundation
import Testing
import VigilTesting

/// The analysis split among partitions (one per core) finds what one partition finds, finding for
/// finding: a simulated estate of three accounts in S3 layout (read by its accounts' partitions at
/// once), the shared samples and the rule-test corpora (loose files, read with every partition
/// paused).
@Suite struct WorkersTests {
    @Test func findingsDoNotDependOnTheNumberOfWorkers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-workers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let simulated = try VigilProcess.run(["simulate", "--output", folder.path, "--days", "10", "--accounts", "3"])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let inputs = [folder.path, SharedData.path("samples"), SharedData.path("corpora")]
        var answers: [Int: String] = [:]
        for workers in [1, 2, 3] {
            let run = try VigilProcess.run(["scan", "--no-geoip", "--format", "json", "--workers", "\(workers)"] + inputs)
            #expect(run.status == 0, "\(run.stderr)")
            answers[workers] = run.stdout
        }
        let findings = try #require(JSONSerialization.jsonObject(with: Data(answers[1]!.utf8)) as? [String: Any])["findings"] as? [Any]
        #expect((findings?.count ?? 0) >= 10)
        #expect(answers[2] == answers[1])
        #expect(answers[3] == answers[1])
    }
}

/// Records of another account inside a file under one account's S3 prefix (a shared VPC's flow
/// logs, a trail carrying another account's events) are analysed with their own account's state:
/// an account's brute force split between its own file and another account's file is seen whole,
/// and the findings are the same with one worker as with three.
@Suite struct StrayRecordsTests {
    static func failedLogins(account: String, address: String, minutes: Range<Int>) -> String {
        let records = minutes.map { minute in
            #"{"eventVersion":"1.08","eventTime":"2026-11-30T10:\#(String(format: "%02d", minute)):00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"\#(address)","userAgent":"Mozilla/5.0","errorMessage":"Failed authentication","eventID":"\#(account)-\#(minute)","eventType":"AwsConsoleSignIn","recipientAccountId":"\#(account)","userIdentity":{"type":"IAMUser","accountId":"\#(account)","principalId":"AIDAEXAMPLE","userName":"admin"},"responseElements":{"ConsoleLogin":"Failure"}}"#
        }
        return #"{"Records":[\#(records.joined(separator: ","))]}"#
    }

    @Test func anotherAccountsRecordsJoinTheirOwnAccountsState() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-strays-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (a, b, c) = ("111111111111", "222222222222", "333333333333")
        func write(_ account: String, _ name: String, _ text: String) throws {
            let dir = folder.appendingPathComponent("AWSLogs/\(account)/CloudTrail/us-east-1/2026/11/30")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try text.write(to: dir.appendingPathComponent("\(account)_CloudTrail_us-east-1_20261130T10\(name)Z_x.json"), atomically: true, encoding: .utf8)
        }
        // B's twelve failures: six in B's own file, six in A's; C's own twelve alone, as a reference.
        try write(a, "00", Self.failedLogins(account: b, address: "198.51.100.7", minutes: 6..<12))
        try write(b, "01", Self.failedLogins(account: b, address: "198.51.100.7", minutes: 0..<6))
        try write(c, "02", Self.failedLogins(account: c, address: "198.51.100.7", minutes: 0..<12))
        var answers: [Int: String] = [:]
        for workers in [1, 2, 3] {
            let run = try VigilProcess.run(["scan", "--no-geoip", "--no-builtin-intel", "--format", "json", "--workers", "\(workers)", folder.path])
            #expect(run.status == 0, "\(run.stderr)")
            answers[workers] = run.stdout
        }
        #expect(answers[2] == answers[1])
        #expect(answers[3] == answers[1])
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(answers[1]!.utf8)) as? [String: Any])["findings"] as? [[String: Any]] ?? []
        func types(_ account: String) -> [String] { findings.filter { $0["accountId"] as? String == account }.compactMap { $0["type"] as? String }.sorted() }
        #expect(!types(c).isEmpty, "the reference brute force raised nothing")
        #expect(types(b) == types(c), "B's brute force, split between two files, was not seen whole")
        #expect(types(a).isEmpty, "A's file held no activity of A")
    }
}
