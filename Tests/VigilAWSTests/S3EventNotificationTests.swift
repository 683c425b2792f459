import Foundation
import Testing
@testable import VigilIngest

/// What an SQS message announces, in each shape AWS sends S3 events in, and refusals with reasons.
@Suite struct S3EventNotificationTests {
    static let direct = """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventName":"ObjectCreated:Put",
        "s3":{"bucket":{"name":"logs"},"object":{"key":"AWSLogs/1/CloudTrail/a+b%3Ac.json.gz","size":1234,"eTag":"\\"abc\\""}}},
        {"eventSource":"aws:s3","eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"logs"},"object":{"key":"gone"}}}]}
        """

    @Test func directNotification() {
        #expect(S3EventNotification.parse(Self.direct) == .objects([
            .init(bucket: "logs", key: "AWSLogs/1/CloudTrail/a b:c.json.gz", size: 1234, eTag: "abc"),
        ]))
    }

    @Test func throughSNS() throws {
        let wrapped = try JSONSerialization.data(withJSONObject: ["Type": "Notification", "TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": Self.direct])
        #expect(S3EventNotification.parse(String(decoding: wrapped, as: UTF8.self))
                == .objects([.init(bucket: "logs", key: "AWSLogs/1/CloudTrail/a b:c.json.gz", size: 1234, eTag: "abc")]))
    }

    @Test func eventBridge() {
        let event = """
            {"version":"0","source":"aws.s3","detail-type":"Object Created","detail":{"bucket":{"name":"logs"},
            "object":{"key":"AWSLogs/1/x.json","size":"77","etag":"e1"}}}
            """
        #expect(S3EventNotification.parse(event) == .objects([.init(bucket: "logs", key: "AWSLogs/1/x.json", size: 77, eTag: "e1")]))
        #expect(S3EventNotification.parse(#"{"source":"aws.s3","detail-type":"Object Created","detail":{"bucket":{"name":"b"},"object":{"key":"k","eTag":"e2"}}}"#)
                == .objects([.init(bucket: "b", key: "k", size: 0, eTag: "e2")]))
        #expect(S3EventNotification.parse(#"{"source":"aws.s3","detail-type":"Object Deleted","detail":{}}"#) == .objects([]))
    }

    @Test func testEventsAndRefusals() {
        #expect(S3EventNotification.parse(#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"logs"}"#) == .testEvent)
        for body in ["not json", "[]", #"{"Records":[{"eventSource":"aws:sqs","eventName":"x"}]}"#,
                     #"{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{}}]}"#,
                     #"{"Type":"Notification","Message":"{\"Type\":\"Notification\",\"Message\":\"{}\"}"}"#, #"{"hello":1}"#] {
            guard case .unreadable(let reason) = S3EventNotification.parse(body) else {
                Issue.record("accepted: \(body)")
                continue
            }
            #expect(!reason.isEmpty)
        }
    }
}
