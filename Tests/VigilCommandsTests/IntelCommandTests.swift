import Foundation
import Testing
import VigilTesting

/// `vigil intel update` against a real HTTP server on loopback, then `vigil scan` using the
/// fetched feeds, then an update with the server gone (the offline case).
@Suite struct IntelCommandTests {
    /// Python's http.server over the list fixtures, on a free loopback port.
    final class FixtureServer {
        let process = Process()
        let port: Int

        init(directory: String = SharedData.packageRoot.appendingPathComponent("Tests/VigilIntelTests/Fixtures").path) throws {
            let fixtures = directory
            // Ask the kernel for a free loopback port, then serve on it.
            let probe = try VigilProcess.run(["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"],
                                             executable: "/usr/bin/env")
            guard let port = Int(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no free port: \(probe.stderr)"])
            }
            self.port = port
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", fixtures]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait (at most 10 s) until it accepts connections.
            let wait = "import socket, time\nfor _ in range(100):\n    try:\n        socket.create_connection(('127.0.0.1', \(port)), 0.2).close(); break\n    except OSError: time.sleep(0.1)\nelse: raise SystemExit(1)"
            guard try VigilProcess.run(["python3", "-c", wait], executable: "/usr/bin/env").status == 0 else {
                stop()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "http.server did not start"])
            }
        }

        /// SIGKILL: a child spawned from a test thread inherits its blocked signals, SIGTERM included.
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func updateFetchesFeedsAndScanUsesThem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-feeds-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try FixtureServer()
        let base = "http://127.0.0.1:\(server.port)"
        let update = try VigilProcess.run(["intel", "update", "--feeds-dir", dir, "--timeout", "5",
                                           "--source", "malicious=TXT:\(base)/threats.txt",
                                           "--source", "c2=ZEEK:\(base)/threats.intel",
                                           "--source", "phishing=\(base)/missing.txt"])
        server.stop()
        #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
        #expect(update.stdout.contains("updated  threats.txt (malicious"))
        #expect(update.stdout.contains("updated  threats.intel (c2"))
        #expect(update.stdout.contains("failed   missing.txt: HTTP 404; no copy yet"))
        let manifest = try String(contentsOfFile: dir + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"sha256\""))

        let list = try VigilProcess.run(["intel", "list", "--feeds-dir", dir])
        #expect(list.stdout.contains("threats.txt\tmalicious\tTXT\t4\t"))
        #expect(list.stdout.contains("Vigil mining pools\tmining"))

        // A CloudTrail call from an address on the fetched c2 feed raises MaliciousIPCaller.
        let events = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-feed-events-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: events) }
        try #"{"eventVersion":"1.08","eventTime":"2023-11-14T22:15:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.17","eventID":"x1","recipientAccountId":"123456789012","userIdentity":{"type":"IAMUser","userName":"bob","accessKeyId":"AKIA1"}}"#
            .write(to: events, atomically: true, encoding: .utf8)
        let scan = try VigilProcess.run(["scan", events.path, "--feeds-dir", dir, "--format", "json", "--no-geoip"])
        #expect(scan.stdout.contains("UnauthorizedAccess:IAMUser/MaliciousIPCaller"))
        #expect(scan.stdout.contains("\"threatListName\" : \"threats.intel\""))
        #expect(scan.stdout.contains("Cobalt Strike"))

        // Offline: every fetch fails, the earlier copies stay and scans keep using them.
        let offline = try VigilProcess.run(["intel", "update", "--feeds-dir", dir, "--timeout", "2",
                                            "--source", "malicious=TXT:\(base)/threats.txt"])
        #expect(offline.status == 69)
        #expect(offline.stdout.contains("keeping the copy fetched"))
        let again = try VigilProcess.run(["intel", "list", "--feeds-dir", dir])
        #expect(again.stdout.contains("threats.txt\tmalicious"))
    }

    @Test func updateKeepsAWSRangesAndScanPlacesInstanceCredentialsByThem() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-ranges-\(UUID().uuidString)").path
        let served = root + "/served", feeds = root + "/feeds"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A document in ip-ranges.json's shape (written here): one EC2 range of us-east-1.
        try #"{"syncToken":"1","createDate":"2026-12-01-00-00-00","prefixes":[{"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"EC2","network_border_group":"us-east-1"},{"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"}],"ipv6_prefixes":[]}"#
            .write(toFile: served + "/ip-ranges.json", atomically: true, encoding: .utf8)
        try "not json".write(toFile: served + "/broken.json", atomically: true, encoding: .utf8)
        let server = try FixtureServer(directory: served)
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let update = try VigilProcess.run(["intel", "update", "--feeds-dir", feeds, "--timeout", "5", "--aws-ip-ranges", "\(base)/ip-ranges.json"])
        // Something that is not a URL is refused before anything is fetched.
        let refused = try VigilProcess.run(["intel", "update", "--feeds-dir", feeds, "--aws-ip-ranges", "not a url"])
        #expect(refused.status != 0 && refused.stderr.contains("--aws-ip-ranges: expected a URL"))
        #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
        #expect(update.stdout.contains("updated  AWS ip-ranges.json (1 prefixes, created 2026-12-01-00-00-00)"))
        // A document that does not read is refused and the copy kept.
        let broken = try VigilProcess.run(["intel", "update", "--feeds-dir", feeds, "--timeout", "5", "--aws-ip-ranges", "\(base)/broken.json"])
        #expect(broken.status == 69)
        #expect(broken.stdout.contains("failed   AWS ip-ranges.json") && broken.stdout.contains("keeping the copy created 2026-12-01-00-00-00"))

        // An instance's credentials: first from its EC2 address (learned), then from an address outside the ranges.
        func call(_ second: Int, from address: String) -> String {
            #"{"eventVersion":"1.08","eventTime":"2026-12-01T10:00:\#(String(format: "%02d", second))Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"\#(address)","eventID":"e\#(second)","recipientAccountId":"123456789012","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/web/i-0a1b2c3d4e5f60718","accountId":"123456789012","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::123456789012:role/web","userName":"web"}}}}"#
        }
        let events = root + "/trail.jsonl"
        try [call(1, from: "3.80.7.7"), call(2, from: "3.80.7.7"), call(3, from: "185.220.70.1")].joined(separator: "\n")
            .write(toFile: events, atomically: true, encoding: .utf8)
        let scan = try VigilProcess.run(["scan", events, "--feeds-dir", feeds, "--format", "json"])
        #expect(scan.stdout.components(separatedBy: "InstanceCredentialExfiltration.OutsideAWS").count == 2, "\(scan.stdout)\(scan.stderr)")
        #expect(scan.stdout.contains("185.220.70.1"))
        #expect(!scan.stdout.contains("InstanceCredentialExfiltration.InsideAWS"))
    }
}
