import Foundation
import Testing
import VigilLogs
import VigilModel
import VigilSimulation
import VigilTesting

/// Feeds every record of the shared corpora, and truncated, garbled and type-confused mutations of
/// them, through the readers. Nothing may crash or hang; well-formed neighbours must survive.
@Suite struct RobustnessTests {
    typealias Random = SplitMix64

    static func json(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// Truncated, garbled and type-confused variants of one JSON record.
    static func mutations(of record: [String: Any], random: inout Random) -> [[UInt8]] {
        let bytes = json(record)
        var out: [[UInt8]] = []
        for k in 1..<8 { out.append(Array(bytes.prefix(bytes.count * k / 8))) }
        let noise: [UInt8] = [0x22, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x5C, 0x00, 0xFF, 0xC3, 0x0A, 0x20, 0x41]
        for _ in 0..<8 {
            var garbled = bytes
            for _ in 0..<(1 + random.below(4)) where !garbled.isEmpty {
                garbled[random.below(garbled.count)] = noise[random.below(noise.count)]
            }
            out.append(garbled)
        }
        let confusions: [Any] = [123, -1.5e300, [] as [Any], ["x": 1] as [String: Any], NSNull(), true, "s"]
        for key in record.keys.sorted() {
            var changed = record
            changed[key] = confusions[random.below(confusions.count)]
            out.append(json(changed))
            if let nested = record[key] as? [String: Any] {
                for inner in nested.keys.sorted() {
                    var n = nested
                    n[inner] = confusions[random.below(confusions.count)]
                    changed[key] = n
                    out.append(json(changed))
                }
            }
        }
        return out
    }

    func read(_ bytes: [UInt8], path: String) -> (RecordingHandler, [LogIssue]) {
        var issues: [LogIssue] = []
        let reader = LogReader { issues.append($0) }
        let handler = RecordingHandler()
        var copy = bytes
        copy.withUnsafeMutableBytes { _ = reader.read(bytes: UnsafeRawBufferPointer($0), path: path, into: handler) }
        return (handler, issues)
    }

    static let goodCloudTrail = #"{"eventVersion":"1.08","eventTime":"2023-11-14T22:15:00Z","eventName":"Sentinel","eventSource":"sts.amazonaws.com"}"#
    static let goodResolver = #"{"version":"1.100000","account_id":"123456789012","query_timestamp":"2023-11-14T22:15:00Z","query_name":"sentinel.example.","query_type":"A","rcode":"NOERROR","srcaddr":"10.0.0.1","srcport":"5353"}"#

    @Test func cloudTrailCorporaAndMutations() throws {
        var events = try DetectionHarness.corpusEvents("corpora/panther_cloudtrail_tests.jsonl")
        events += try DetectionHarness.corpusEvents("corpora/streamalert_cloudtrail_tests.jsonl")
        #expect(events.count == 529)
        var random = Random(state: 42)
        var cases = 0
        let started = Date()
        for (index, event) in events.enumerated() {
            for mutated in [Self.json(event)] + Self.mutations(of: event, random: &random) {
                cases += 1
                // As JSON lines: the sentinels on the lines around the mutant always survive.
                let sentinel = Array(Self.goodCloudTrail.utf8)
                let lines = sentinel + [0x0A] + mutated.filter { $0 != 0x0A } + [0x0A] + sentinel + [0x0A]
                let (lineHandler, _) = read(lines, path: "corpus-\(index).jsonl")
                let sentinels = lineHandler.cloudTrail.filter { $0[.eventName] == "Sentinel" }.count
                #expect(sentinels >= 2, "case \(cases): sentinels lost in JSON lines")
                // Inside a Records document: the record before the mutant always survives.
                let document = Array(#"{"Records":["#.utf8) + sentinel + [0x2C] + mutated + [0x2C] + sentinel + Array("]}".utf8)
                let (docHandler, docIssues) = read(document, path: "corpus-\(index).json")
                #expect(docHandler.cloudTrail.first?[.eventName] == "Sentinel", "case \(cases): leading record lost")
                #expect(docHandler.cloudTrail.count + docIssues.count >= 1)
            }
        }
        #expect(cases > 10_000)
        #expect(Date().timeIntervalSince(started) < 120, "reading mutants is too slow; a parser may be looping")
    }

    @Test func resolverCorpusAndMutations() throws {
        let records = try DetectionHarness.corpusEvents("corpora/panther_dns_tests.jsonl")
        #expect(records.count == 15)
        var random = Random(state: 7)
        for record in records {
            var clean = record
            clean["p_log_type"] = nil
            for mutated in [Self.json(clean)] + Self.mutations(of: clean, random: &random) {
                let sentinel = Array(Self.goodResolver.utf8)
                let text = sentinel + [0x0A] + mutated.filter { $0 != 0x0A } + [0x0A] + sentinel + [0x0A]
                let (handler, _) = read(text, path: "dns.log")
                #expect(handler.queries.filter { $0[.queryName] == "sentinel.example." }.count == 2)
            }
        }
    }

    @Test func flowCorpusAndMutations() throws {
        let records = try DetectionHarness.corpusEvents("corpora/panther_vpcflow_tests.jsonl")
        #expect(records.count == 31)
        let keys = ["version", "account", "interfaceId", "srcAddr", "dstAddr", "srcPort", "dstPort", "protocol",
                    "packets", "bytes", "start", "end", "action", "status"]
        let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
        let sentinel = "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 1418530010 1418530070 ACCEPT OK"
        var random = Random(state: 9)
        for record in records {
            let line = keys.map { key -> String in
                guard let value = record[key], !(value is NSNull) else { return "-" }
                if key == "start" || key == "end", let text = value as? String, let t = Timestamp(iso8601: text) {
                    return "\(t.secondsSinceEpoch)"
                }
                return "\(value)"
            }.joined(separator: " ")
            var variants = [Array(line.utf8)]
            let bytes = Array(line.utf8)
            for k in 1..<6 { variants.append(Array(bytes.prefix(bytes.count * k / 6))) }
            for _ in 0..<10 {
                var garbled = bytes
                garbled[random.below(garbled.count)] = [0x2D, 0x20, 0x41, 0xFF, 0x39, 0x3A, 0x2E][random.below(7)]
                variants.append(garbled)
            }
            for variant in variants {
                let text = Array((header + "\n" + sentinel + "\n").utf8) + variant.filter { $0 != 0x0A } + Array(("\n" + sentinel + "\n").utf8)
                let (handler, _) = read(text, path: "flows.log")
                #expect(handler.flows.filter { $0.dstPort == 22 && $0.srcAddr == IPAddress("10.0.0.1") }.count >= 2)
            }
        }
    }

    @Test func damagedGzipKeepsWhatPrecedesTheDamage() throws {
        let lines = (0..<2000).map { #"{"eventTime":"2023-11-14T22:15:00Z","eventName":"E\#($0)","eventID":"\#($0)"}"# }.joined(separator: "\n") + "\n"
        let compressed = Array(lines.utf8).withUnsafeBytes { GzipDeflater().compress($0) }
        let cut = Array(compressed.prefix(compressed.count * 2 / 3))
        let (handler, issues) = read(cut, path: "cut.jsonl.gz")
        #expect(handler.cloudTrail.count > 500)
        #expect(handler.cloudTrail.count < 2000)
        #expect(issues.contains { $0.location == .wholeFile && $0.message.contains("gzip") })
        // Every record read is a real one, in order.
        #expect(handler.cloudTrail.enumerated().allSatisfy { $0.element[.eventName] == "E\($0.offset)" })
    }

    /// Found by FuzzLogs: a gzip trailer claiming 2.2 GB made the inflater reserve 4 GiB and then
    /// trap handing zlib more than 4 GiB of room. The claim is believed only as far as deflate can
    /// expand the bytes present, and no file inflates past ``GzipInflater/maximumInflatedBytes``.
    @Test func gzipTrailerCannotClaimGigabytes() throws {
        let crash = try #require(Data(base64Encoded: "ix+LYTAyMWE2YTMxZjM5MGI4NmYyMzJkYzczMzM4hISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhIQ="))
        let (handler, issues) = read(Array(crash.dropFirst()), path: "AWSLogs/123456789012/CloudTrail/us-east-1/2023/11/14/x.json.gz")
        #expect(handler.cloudTrail.isEmpty)
        #expect(issues.contains { $0.message.contains("gzip") })
        let buffer = LogBuffer()
        let bomb = Array(repeating: UInt8(0x30), count: 64 << 20).withUnsafeBytes { GzipDeflater(level: 9).compress($0) }
        #expect(bomb.withUnsafeBytes { GzipInflater().inflate($0, into: buffer) } == .complete)
        #expect(buffer.count == 64 << 20 && buffer.capacity <= 128 << 20)
    }

    @Test func multiMemberGzip() throws {
        let a = Array("{\"eventTime\":\"2023-11-14T22:15:00Z\",\"eventName\":\"A\"}\n".utf8).withUnsafeBytes { GzipDeflater().compress($0) }
        let b = Array("{\"eventTime\":\"2023-11-14T22:15:00Z\",\"eventName\":\"B\"}\n".utf8).withUnsafeBytes { GzipDeflater().compress($0) }
        let (handler, issues) = read(a + b, path: "two.jsonl.gz")
        #expect(issues.isEmpty)
        #expect(handler.cloudTrail.map { $0[.eventName] } == ["A", "B"])
    }
}
