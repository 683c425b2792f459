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

        init() throws {
            let fixtures = SharedData.packageRoot.appendingPathComponent("Tests/VigilIntelTests/Fixtures").path
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
}
