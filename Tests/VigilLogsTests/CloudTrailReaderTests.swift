import Foundation
import Testing
import VigilLogs
import VigilModel
import VigilTesting

@Suite struct CloudTrailReaderTests {
    static let samplePath = SharedData.path(
        "samples/cloudtrail/AWSLogs/123456789012/CloudTrail/us-east-1/2023/11/14/123456789012_CloudTrail_us-east-1_20231114T2215Z_Ab12Cd34Ef56Gh78.json.gz")

    @Test func readsGzipRecordsDocumentInS3Layout() throws {
        let reader = LogReader()
        let handler = RecordingHandler()
        let outcome = reader.read(path: Self.samplePath, into: handler)
        #expect(outcome == .read(.cloudTrailDocument, records: 3))
        #expect(handler.cloudTrail.count == 3)
        #expect(handler.cloudTrail.contains { $0[.eventName] == "StopLogging" })
        let layout = try #require(handler.sources.first?.layout)
        #expect(layout.accountId == "123456789012")
        #expect(layout.region == "us-east-1")
        #expect(layout.service == .cloudTrail)
        #expect(reader.statistics[.cloudTrail].records == 3)
        #expect(reader.statistics[.cloudTrail].storedBytes < reader.statistics[.cloudTrail].bytes)
    }

    @Test func readsEveryFieldVigilKnows() throws {
        let text = """
        {"Records":[{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROA:i-0abc","arn":"arn:aws:sts::111122223333:assumed-role/web/i-0abc","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA","arn":"arn:aws:iam::111122223333:role/web","accountId":"111122223333","userName":"web"},"attributes":{"creationDate":"2023-11-14T20:00:00Z","mfaAuthenticated":"false"},"ec2RoleDelivery":"2.0"}},"eventTime":"2023-11-14T22:15:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.13 Python/3.11 Linux/6.5.0-kali3-amd64","errorCode":"AccessDenied","errorMessage":"no \\"access\\"","requestParameters":{"a":[1,2,{"b":null}]},"responseElements":null,"requestID":"R1","eventID":"E1","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management","vpcEndpointId":"vpce-1","unknownKey":{"nested":[1,2,3]}}]}
        """
        let handler = RecordingHandler()
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { _ = LogReader().read(bytes: UnsafeRawBufferPointer($0), path: "mem", into: handler) }
        let e = try #require(handler.cloudTrail.first)
        #expect(e[.eventName] == "ListBuckets")
        #expect(e[.identityType] == "AssumedRole")
        #expect(e[.sessionIssuerUserName] == "web")
        #expect(e[.sessionIssuerArn] == "arn:aws:iam::111122223333:role/web")
        #expect(e[.mfaAuthenticated] == "false")
        #expect(e[.ec2RoleDelivery] == "2.0")
        #expect(e[.errorMessage] == "no \"access\"")
        #expect(e[.readOnly] == "true")
        #expect(e[.managementEvent] == "true")
        #expect(e[.requestParameters] == #"{"a":[1,2,{"b":null}]}"#)
        #expect(e[.responseElements] == nil)
        #expect(e[.vpcEndpointId] == "vpce-1")
        #expect(handler.cloudTrailTimes.first == Timestamp(iso8601: "2023-11-14T22:15:00Z"))
        #expect(handler.cloudTrailLocations.first?.record == 0)
    }

    @Test func readsJSONLinesAndNamesBadLines() throws {
        let text = """
        {"eventVersion":"1.08","eventTime":"2023-11-14T22:15:00Z","eventName":"A","eventSource":"x"}

        {"eventVersion":"1.08","eventTime":"2023-11-14T22:15:01Z","eventName":7,"eventSource":"x"}
        {"eventVersion":"1.08","eventTime":"2023-11-14T22:15:02Z","eventName":"C",
        {"eventVersion":"1.08","eventTime":"yesterday","eventName":"D"}
        {"eventVersion":"1.08","eventName":"E"}
        {"eventVersion":"1.08","eventTime":"2023-11-14T22:15:03Z","eventName":"F","userIdentity":"root"}
        {"eventVersion":"1.08","eventTime":"2023-11-14T22:15:04Z","eventName":"G"}
        """
        var issues: [LogIssue] = []
        let reader = LogReader { issues.append($0) }
        let handler = RecordingHandler()
        var bytes = Array(text.utf8)
        let outcome = bytes.withUnsafeMutableBytes { reader.read(bytes: UnsafeRawBufferPointer($0), path: "events.jsonl", into: handler) }
        #expect(outcome == .read(.cloudTrailLines, records: 2))
        #expect(handler.cloudTrail.map { $0[.eventName] } == ["A", "G"])
        #expect(issues.map { $0.location.line } == [3, 4, 5, 6, 7])
        #expect(issues[0].description == "events.jsonl:line 3: eventName is not a string")
        #expect(issues[2].message == "eventTime is not an ISO-8601 time")
        #expect(issues[3].message == "eventTime is missing")
        #expect(issues[4].message == "userIdentity is not an object")
        #expect(reader.statistics[.cloudTrail].badRecords == 5)
        #expect(reader.statistics[.cloudTrail].records == 2)
    }

    @Test func unescapesStringsAndKeepsThemApart() throws {
        // Escapes of every kind, a bad escape (that record alone refused), and lines growing from a
        // few bytes to a megabyte (the room strings are unescaped into grows with them).
        func line(_ name: String, agent: String) -> String {
            #"{"eventVersion":"1.08","eventTime":"2023-11-14T22:15:00Z","eventName":"\#(name)","eventSource":"x","userAgent":"\#(agent)"}"#
        }
        let long = String(repeating: "a\\\"b", count: 250_000)  // `a\"b` a quarter of a million times: 1 MB raw
        let text = [
            line("A", agent: #"q\"uote\\slash\/solidus\ttab\nline \u00e9 \ud83d\ude00"#),
            line("B", agent: #"bad \q escape"#),
            line("C", agent: String(repeating: "x", count: 1_000)),
            line("D", agent: long),
            line("E", agent: "short"),
        ].joined(separator: "\n")
        var issues: [LogIssue] = []
        let reader = LogReader { issues.append($0) }
        let handler = RecordingHandler()
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { reader.read(bytes: UnsafeRawBufferPointer($0), path: "events.jsonl", into: handler) }
        #expect(handler.cloudTrail.map { $0[.eventName] } == ["A", "C", "D", "E"])
        #expect(handler.cloudTrail.first?[.userAgent] == "q\"uote\\slash/solidus\ttab\nline é 😀")
        #expect(handler.cloudTrail[2][.userAgent] == String(repeating: "a\"b", count: 250_000))
        #expect(handler.cloudTrail[3][.userAgent] == "short")
        #expect(issues.map { $0.location.line } == [2])

        // One document of many records, every one with escapes: their strings share the room.
        let records = (0..<2_000).map { i in
            #"{"eventVersion":"1.08","eventTime":"2023-11-14T22:15:00Z","eventName":"N\#(i)","eventSource":"x","userAgent":"agent \"\#(i)\" \u00e9"}"#
        }
        let handler2 = RecordingHandler()
        var document = Array(#"{"Records":["#.utf8) + Array(records.joined(separator: ",").utf8) + Array("]}".utf8)
        _ = document.withUnsafeMutableBytes { LogReader().read(bytes: UnsafeRawBufferPointer($0), path: "trail.json", into: handler2) }
        #expect(handler2.cloudTrail.count == 2_000)
        #expect(handler2.cloudTrail.enumerated().allSatisfy { i, record in record[.userAgent] == "agent \"\(i)\" é" && record[.eventName] == "N\(i)" })
    }

    @Test func damagedRecordInsideDocumentDoesNotLoseTheOthers() throws {
        let good = { (n: Int) in #"{"eventVersion":"1.08","eventTime":"2023-11-14T22:15:0\#(n)Z","eventName":"E\#(n)","eventID":"id\#(n)"}"# }
        let broken = #"{"eventVersion":"1.08","eventTime":"2023-11-14T22:15:09Z","eventName":"X" "eventID":"bad"}"#
        let text = #"{"Records":["# + [good(1), good(2), broken, good(3), good(4)].joined(separator: ",") + "]}"
        var issues: [LogIssue] = []
        let reader = LogReader { issues.append($0) }
        let handler = RecordingHandler()
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { _ = reader.read(bytes: UnsafeRawBufferPointer($0), path: "doc.json", into: handler) }
        #expect(handler.cloudTrail.map { $0[.eventName] } == ["E1", "E2", "E3", "E4"])
        #expect(issues.count == 1)
        #expect(issues.first?.location.record == 2)
        #expect(issues.first?.description.hasPrefix("doc.json:Records[2] (byte ") == true)
    }

    @Test func truncatedDocumentKeepsCompleteRecords() throws {
        let records = (0..<5).map { #"{"eventVersion":"1.08","eventTime":"2023-11-14T22:15:0\#($0)Z","eventName":"E\#($0)"}"# }
        let full = #"{"Records":["# + records.joined(separator: ",") + "]}"
        let cut = String(full.prefix(full.count - 30))
        var issues: [LogIssue] = []
        let reader = LogReader { issues.append($0) }
        let handler = RecordingHandler()
        var bytes = Array(cut.utf8)
        bytes.withUnsafeMutableBytes { _ = reader.read(bytes: UnsafeRawBufferPointer($0), path: "cut.json", into: handler) }
        #expect(handler.cloudTrail.map { $0[.eventName] } == ["E0", "E1", "E2", "E3"])
        #expect(issues.count == 1)
        #expect(issues.first?.message.contains("truncated") == true)
    }

    @Test func invalidUTF8IsIsolatedToItsRecord() throws {
        var bytes = Array(#"{"Records":[{"eventTime":"2023-11-14T22:15:00Z","eventName":"A"},{"eventTime":"2023-11-14T22:15:00Z","eventName":"B"#.utf8)
        bytes += [0xff, 0xfe]
        bytes += Array(#""},{"eventTime":"2023-11-14T22:15:00Z","eventName":"C"}]}"#.utf8)
        var issues: [LogIssue] = []
        let reader = LogReader { issues.append($0) }
        let handler = RecordingHandler()
        bytes.withUnsafeMutableBytes { _ = reader.read(bytes: UnsafeRawBufferPointer($0), path: "utf8.json", into: handler) }
        #expect(handler.cloudTrail.map { $0[.eventName] } == ["A", "C"])
        #expect(issues.map { $0.location.record } == [1])
    }
}
