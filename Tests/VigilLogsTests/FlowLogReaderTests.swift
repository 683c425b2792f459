import Foundation
import Testing
import VigilLogs
import VigilModel
import VigilTesting

@Suite struct FlowLogReaderTests {
    func read(_ text: String, path: String = "flows.log") -> (LogReader.FileOutcome, RecordingHandler, [LogIssue], LogReader) {
        var issues: [LogIssue] = []
        let reader = LogReader { issues.append($0) }
        let handler = RecordingHandler()
        var bytes = Array(text.utf8)
        let outcome = bytes.withUnsafeMutableBytes { reader.read(bytes: UnsafeRawBufferPointer($0), path: path, into: handler) }
        return (outcome, handler, issues, reader)
    }

    @Test func readsDefaultFormatWithHeaderNodataAndSkipdata() throws {
        let text = """
        version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
        2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
        2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK
        2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA
        2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA
        2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK
        """
        let (outcome, handler, issues, reader) = read(text)
        guard case .read(.flowLog(_, hasHeader: true), records: 5) = outcome else { Issue.record("\(outcome)"); return }
        #expect(issues.isEmpty)
        let first = handler.flows[0]
        #expect(first.srcAddr == IPAddress("172.31.16.139"))
        #expect(first.dstPort == 22)
        #expect(first.protocolNumber == 6)
        #expect(first.bytes == 4249)
        #expect(first.end == 1_418_530_070)
        #expect(first.action == .accept)
        #expect(first.line == 2)
        #expect(handler.flows[1].action == .reject)
        #expect(handler.flows[2].logStatus == .noData)
        #expect(handler.flows[2].srcAddr == nil)
        #expect(handler.flows[3].logStatus == .skipData)
        #expect(handler.flows[4].srcAddr == IPAddress("2001:db8:1234:a100:8d6e:3477:df66:f105"))
        #expect(reader.statistics[.flowLogs].skipDataRecords == 1)
    }

    @Test func readsCustomV5FieldOrderFromHeader() throws {
        let text = """
        version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status
        5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK
        5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK
        """
        let (_, handler, issues, _) = read(text)
        #expect(issues.isEmpty)
        #expect(handler.flows.count == 2)
        let ingress = handler.flows[0]
        #expect(ingress.instanceId == "i-0c50d5961bcb2d47b")
        #expect(ingress.interfaceId == "eni-1235b8ca123456789")
        #expect(ingress.flowDirection == .ingress)
        #expect(ingress.tcpFlags == 19)
        #expect(ingress.packets == 14)
        #expect(ingress.version == 5)
        #expect(handler.flows[1].flowDirection == .egress)
        #expect(handler.flows[1].pktDstAddr == IPAddress("52.95.128.179"))
    }

    @Test func headerlessDefaultFormat() throws {
        let (outcome, handler, _, _) = read("2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1418530010 1418530070 ACCEPT OK\n")
        #expect(outcome == .read(.flowLog(.defaultFormat, hasHeader: false), records: 1))
        #expect(handler.flows.count == 1)
    }

    @Test func badLinesAreNamedAndSkipped() throws {
        let text = """
        version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
        2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 1418530010 1418530070 ACCEPT OK
        2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 1418530010 1418530070 ACCEPT
        2 1 eni-1 10.0.0.999 10.0.0.2 1 22 6 1 40 1418530010 1418530070 ACCEPT OK
        2 1 eni-1 10.0.0.1 10.0.0.2 1 70000 6 1 40 1418530010 1418530070 ACCEPT OK
        2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 1418530010 1418530070 MAYBE OK
        2 1 eni-1 10.0.0.1 10.0.0.2 1 23 6 1 40 1418530010 1418530070 REJECT OK\r
        """
        let (_, handler, issues, reader) = read(text)
        #expect(handler.flows.map(\.dstPort) == [22, 23])
        #expect(issues.map { $0.location.line } == [3, 4, 5, 6])
        #expect(issues[0].message == "expected 14 fields, found 13")
        #expect(issues[1].message == "bad value for srcaddr")
        #expect(issues[2].message == "bad value for dstport")
        #expect(issues[3].message == "bad value for action")
        #expect(reader.statistics[.flowLogs].badRecords == 4)
    }

    @Test func linesEndAndFieldsSeparateAsWritersLeaveThem() throws {
        // CRLF lines, runs of spaces, a tab between fields, blank lines (with a CR, with spaces),
        // a control byte inside a token, and a last line with no newline.
        let text = "2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 1418530010 1418530070 ACCEPT OK\r\n"
            + "\r\n"
            + "2  1 eni-1   10.0.0.1 10.0.0.2 1 23 6 1 40 1418530010 1418530070 ACCEPT OK\n"
            + "   \n"
            + "2 1 eni-1 10.0.0.1\t10.0.0.2 1 24 6 1 40 1418530010 1418530070 ACCEPT OK\n"
            + "2 1 eni-1 10.0.0.1 10.0.0.2 1 2\u{01}5 6 1 40 1418530010 1418530070 ACCEPT OK\n"
            + "2 1 eni-1 10.0.0.1 10.0.0.2 1 26 6 1 40 1418530010 1418530070 REJECT OK"
        let (_, handler, issues, reader) = read(text)
        #expect(handler.flows.map(\.dstPort) == [22, 23, 24, 26])
        #expect(handler.flows.map(\.interfaceId) == ["eni-1", "eni-1", "eni-1", "eni-1"])
        #expect(handler.flows.last?.action == .reject)
        // The control byte splits its token: one field too many, on line 6 (blank lines counted).
        #expect(issues.map { $0.location.line } == [6])
        #expect(issues.first?.message == "expected 14 fields, found 15")
        #expect(reader.statistics[.flowLogs].badRecords == 1)
    }

    @Test func unknownHeaderNamesAreKeptOutButDoNotBreakLines() throws {
        let text = "version srcaddr dstaddr some-new-field dstport\n6 10.0.0.1 10.0.0.2 whatever 443\n"
        let (_, handler, issues, _) = read(text)
        #expect(issues.isEmpty)
        #expect(handler.flows.first?.dstPort == 443)
    }

    @Test func readsEverySampleFlowFile() throws {
        let files = try LogFileFinder.files(under: [SharedData.path("samples")]).filter { $0.contains("vpcflowlogs") && $0.hasSuffix(".log.gz") }
        #expect(files.count >= 5)
        var issues: [LogIssue] = []
        let reader = LogReader { issues.append($0) }
        let handler = RecordingHandler()
        for file in files {
            let outcome = reader.read(path: file, into: handler)
            guard case .read(.flowLog, _) = outcome else { Issue.record("\(file): \(outcome)"); continue }
        }
        #expect(issues.isEmpty)
        #expect(handler.flows.count == Int(reader.statistics[.flowLogs].records))
        #expect(handler.flows.count > 500)
        #expect(handler.flows.allSatisfy { $0.logStatus != .unknown })
    }
}
