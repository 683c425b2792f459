import Foundation
import VigilAWS

/// The objects an SQS message announces: an S3 event notification sent to the queue directly,
/// wrapped by SNS (`{"Type": "Notification", "Message": "<the notification>"}`, unless raw
/// delivery is on), or an EventBridge "Object Created" event. Every message is attacker-shaped
/// text: anything else is refused with a reason, never guessed at.
public enum S3EventNotification {
    /// One announced object.
    public struct ObjectCreated: Sendable, Equatable {
        public var bucket: String
        public var key: String
        public var size: Int
        /// Without quotes; empty when the event does not carry it.
        public var eTag: String
    }

    /// What a message holds.
    public enum Content: Sendable, Equatable {
        /// Objects created (possibly none: removals and other events are ignored).
        case objects([ObjectCreated])
        /// S3's test message, sent when a notification is configured: nothing to read.
        case testEvent
        /// Not a notification Vigil understands, and why.
        case unreadable(String)
    }

    /// Reads a message body.
    public static func parse(_ body: String) -> Content {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            return .unreadable("the message is not a JSON object")
        }
        return parse(object, depth: 0)
    }

    private static func parse(_ object: [String: Any], depth: Int) -> Content {
        if object["Event"] as? String == "s3:TestEvent" { return .testEvent }
        if object["Type"] as? String == "Notification", let inner = object["Message"] as? String {
            guard depth == 0, let wrapped = try? JSONSerialization.jsonObject(with: Data(inner.utf8)) as? [String: Any] else {
                return .unreadable("an SNS notification whose Message is not an S3 event notification")
            }
            return parse(wrapped, depth: depth + 1)
        }
        if let records = object["Records"] as? [[String: Any]] {
            var created: [ObjectCreated] = []
            for (index, record) in records.enumerated() {
                guard record["eventSource"] as? String == "aws:s3", let name = record["eventName"] as? String else {
                    return .unreadable("record \(index) is not an S3 event (eventSource aws:s3)")
                }
                guard name.hasPrefix("ObjectCreated:") else { continue }
                guard let s3 = record["s3"] as? [String: Any], let bucket = (s3["bucket"] as? [String: Any])?["name"] as? String,
                      let item = s3["object"] as? [String: Any], let encoded = item["key"] as? String,
                      let key = decodeKey(encoded), !key.isEmpty else {
                    return .unreadable("record \(index) has no s3.bucket.name and s3.object.key")
                }
                created.append(ObjectCreated(bucket: bucket, key: key, size: integer(item["size"]) ?? 0,
                                             eTag: (item["eTag"] as? String ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))))
            }
            return .objects(created)
        }
        if object["source"] as? String == "aws.s3", let type = object["detail-type"] as? String {
            guard type == "Object Created" else { return .objects([]) }
            guard let detail = object["detail"] as? [String: Any], let bucket = (detail["bucket"] as? [String: Any])?["name"] as? String,
                  let item = detail["object"] as? [String: Any], let key = item["key"] as? String, !key.isEmpty else {
                return .unreadable("an EventBridge Object Created event without detail.bucket.name and detail.object.key")
            }
            return .objects([ObjectCreated(bucket: bucket, key: key, size: integer(item["size"]) ?? 0,
                                           eTag: (item["etag"] as? String ?? item["eTag"] as? String ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"")))])
        }
        return .unreadable("neither an S3 event notification, an SNS notification of one, nor an EventBridge S3 event")
    }

    /// S3 notifications URL-encode keys, spaces as `+`.
    static func decodeKey(_ encoded: String) -> String? {
        encoded.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static func integer(_ value: Any?) -> Int? {
        if let number = value as? NSNumber { return number.intValue }
        if let text = value as? String { return Int(text) }
        return nil
    }
}
