import Foundation
import Testing
import VigilTesting

/// `vigil scan` run as a process, as a user runs it.
@Suite struct ScanCommandTests {
    @Test func scansTheSampleEstate() throws {
        let result = try VigilProcess.run(["scan", SharedData.path("samples"), "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(body["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["type"] as? String == "Stealth:IAMUser/CloudTrailLoggingDisabled" })
        #expect(result.stderr.contains("CloudTrail"))
        #expect(result.stderr.contains("VPC Flow Logs"))
        #expect(result.stderr.contains("DNS logs"))
        #expect(result.stderr.contains("skipped files"))
        #expect(result.stderr.contains("throughput"))
        let validation = try VigilProcess.validateWithBotocore(result.stdout)
        #expect(validation.status == 0, "\(validation.stdout)")
    }

    @Test func threatListsRaiseIntelFindingsThatMatchBotocore() throws {
        let fixtures = SharedData.packageRoot.appendingPathComponent("Tests/VigilIntelTests/Fixtures").path
        let result = try VigilProcess.run([
            "scan", SharedData.path("samples"), "--format", "json",
            "--threat-list", "tor-exit=" + SharedData.path("intel/zeek-intel-feeds/tor-exit.intel"),
            "--threat-list", "mining=" + SharedData.path("intel/coinblocker_2018/list.txt"),
            "--threat-list", fixtures + "/threats.txt",
            "--trusted-ips", fixtures + "/trusted.txt",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Recon:IAMUser/TorIPCaller"))
        #expect(result.stdout.contains("CryptoCurrency:EC2/BitcoinTool.B!DNS"))
        #expect(result.stdout.contains("\"threatListName\" : \"tor-exit.intel\""))
        #expect(result.stderr.contains("threat lists: 8"))  // three given, five built in
        #expect(result.stderr.contains("threats.txt:6:"))  // the fixture's unreadable line is reported
        let validation = try VigilProcess.validateWithBotocore(result.stdout)
        #expect(validation.status == 0, "\(validation.stdout)")
    }

    @Test func configurationFileListsAndErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: SharedData.path("intel/zeek-intel-feeds/tor-exit.intel"), toPath: dir.appendingPathComponent("tor.intel").path)
        let good = dir.appendingPathComponent("vigil.json")
        try #"{"threatLists": [{"path": "tor.intel", "category": "tor-exit", "name": "Tor exits"}], "builtinIntel": false, "geoip": {"enabled": false}}"#
            .write(to: good, atomically: true, encoding: .utf8)
        let result = try VigilProcess.run(["scan", SharedData.path("samples/cloudtrail"), "--config", good.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Recon:IAMUser/TorIPCaller"))
        #expect(result.stdout.contains("\"threatListName\" : \"Tor exits\""))
        #expect(result.stderr.contains("threat lists: 1"))
        #expect(!result.stdout.contains("\"country\""))  // geoip off

        let bad = dir.appendingPathComponent("bad.json")
        try #"{"threatLists": [{"path": "x.txt", "format": "XML"}]}"#.write(to: bad, atomically: true, encoding: .utf8)
        let failed = try VigilProcess.run(["scan", SharedData.path("samples/cloudtrail"), "--config", bad.path])
        #expect(failed.status == 78)
        #expect(failed.stderr.contains("threatLists[0].format: unknown format 'XML'"))
        try "{not json".write(to: bad, atomically: true, encoding: .utf8)
        let broken = try VigilProcess.run(["scan", SharedData.path("samples/cloudtrail"), "--config", bad.path])
        #expect(broken.status == 78)
        #expect(broken.stderr.contains("not valid JSON"))
    }

    @Test func missingThreatListIsAnError() throws {
        let result = try VigilProcess.run(["scan", SharedData.path("samples/cloudtrail"), "--threat-list", "/no/such/list.txt"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/no/such/list.txt"))
    }

    @Test func tableFormat() throws {
        let result = try VigilProcess.run(["scan", SharedData.path("samples/cloudtrail"), "--format", "table", "--quiet"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("SEVERITY"))
        #expect(result.stdout.contains("Stealth:IAMUser/CloudTrailLoggingDisabled"))
        #expect(result.stderr.isEmpty)
    }

    @Test func badRecordsAreNamedAndDoNotFailTheRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
        {"eventTime":"2023-11-14T22:15:00Z","eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com","eventID":"1","requestParameters":{"name":"t"},"userIdentity":{"type":"IAMUser","userName":"bob"}}
        {"eventTime":"2023-11-14T22:15:00Z","eventName":
        """
        try text.write(to: dir.appendingPathComponent("events.jsonl"), atomically: true, encoding: .utf8)
        try "not a log".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let result = try VigilProcess.run(["scan", dir.path, "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("events.jsonl:line 2:"))
        #expect(result.stderr.contains("1 not a CloudTrail, VPC Flow Logs or Resolver query log"))
        #expect(result.stdout.contains("Stealth:IAMUser/CloudTrailLoggingDisabled"))
    }

    @Test func timeWindowBoundsEventTime() throws {
        let result = try VigilProcess.run(["scan", SharedData.path("samples/cloudtrail"), "--format", "json", "--since", "2030-01-01T00:00:00Z"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"findings\" : [\n\n  ]") || result.stdout.contains("\"findings\" : [\n\n]") || !result.stdout.contains("\"type\""))
        #expect(result.stderr.contains("findings: 0"))
    }

    @Test func usageErrorsAndMissingPathsFail() throws {
        let missing = try VigilProcess.run(["scan", "/no/such/path"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("/no/such/path"))
        let badTime = try VigilProcess.run(["scan", SharedData.path("samples"), "--since", "yesterday"])
        #expect(badTime.status == 64)
        #expect(badTime.stderr.contains("--since"))
    }
}

/// The `detection` section of the configuration file reaches the detectors.
@Suite struct DetectionConfigurationTests {
    static func write(_ text: String) throws -> (URL, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-detection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("vigil.json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return (dir, file)
    }

    @Test func sshPortsFromConfigurationFindTheSampleBruteForce() throws {
        let sample = SharedData.path("samples/s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026")
        let plain = try VigilProcess.run(["scan", sample, "--format", "json", "--quiet"])
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("SSHBruteForce"))
        let (dir, file) = try Self.write(#"{"detection": {"networkBehaviour": {"sshPorts": [22, 902]}}}"#)
        defer { try? FileManager.default.removeItem(at: dir) }
        let configured = try VigilProcess.run(["scan", sample, "--format", "json", "--quiet", "--config", file.path])
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect(configured.stdout.contains("UnauthorizedAccess:EC2/SSHBruteForce"))
        #expect(configured.stdout.contains("\"resourceRole\" : \"TARGET\""))
    }

    @Test func badDetectionSettingsNameTheSetting() throws {
        for (text, message) in [
            (#"{"detection": {"networkBehaviour": {"portscanPorts": 0}}}"#, "detection.networkBehaviour.portscanPorts: must be between 1 and 100"),
            (#"{"detection": {"networkBehaviour": {"portScanPorts": 30}}}"#, "detection.networkBehaviour.portScanPorts: unknown setting"),
            (#"{"detection": {"dns": {}}}"#, "detection.dns: unknown section"),
            (#"{"detection": {"denialOfService": {"packets": "many"}}}"#, "detection.denialOfService.packets: wrong type or value"),
            (#"{"detection": {"unusualDNS": {"usualResolvers": ["10.0.0.300"]}}}"#, "'10.0.0.300' is not an address or CIDR block"),
            (#"{"detections": {}}"#, "detections: unknown setting"),
        ] {
            let (dir, file) = try Self.write(text)
            defer { try? FileManager.default.removeItem(at: dir) }
            let result = try VigilProcess.run(["scan", SharedData.path("samples/cloudtrail"), "--config", file.path])
            #expect(result.status == 78, "\(text)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }
}

/// Memory under a flood of distinct sources, measured on `vigil scan` in its own process (tests in
/// this process run side by side and would blur a resident-set figure).
@Suite struct FloodMemoryTests {
    @Test func twoMillionDistinctSourcesKeepMemoryBounded() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-flood-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-id flow-direction\n"
        var files: [String] = []
        var bytes: [UInt8] = []
        bytes.reserveCapacity(500_000 * 130)
        for index in 0..<4 {
            bytes.removeAll(keepingCapacity: true)
            bytes += header.utf8
            for j in 0..<500_000 {
                let i = index * 500_000 + j  // every source address is new
                bytes += "5 123456789012 eni-1 \(11 + i >> 24 & 0x7f).\(i >> 16 & 255).\(i >> 8 & 255).\(i & 255) 10.0.\(i & 15).6 \(1024 + i % 60000) \([22, 53, 80, 443, 3389][i % 5]) \(i % 3 == 0 ? 17 : 6) \(1 + i % 4) \(60 + i % 400) \(1_700_000_000 + i / 1000) \(1_700_000_001 + i / 1000) \(i % 2 == 0 ? "ACCEPT" : "REJECT") OK i-0\(i % 64) ingress\n".utf8
            }
            let path = dir.appendingPathComponent("flood-\(index).log").path
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            files.append(path)
        }
        func peak(_ paths: [String]) throws -> Int {
            let result = try VigilProcess.run(["scan", "--quiet", "--format", "json", "--no-geoip", "--print-peak-memory"] + paths)
            #expect(result.status == 0, "\(result.stderr)")
            let line = result.stderr.split(separator: "\n").first { $0.hasPrefix("peak-resident-bytes ") }
            return Int(line?.dropFirst("peak-resident-bytes ".count) ?? "0") ?? 0
        }
        let one = try peak([files[0]])
        let four = try peak(files)
        #expect(one > 0)
        // 1.5 million more distinct sources through every detector: no state that grows with them.
        #expect(four - one < 24 << 20, "peak resident \(one >> 20) MiB over one file, \(four >> 20) MiB over four")
    }
}
