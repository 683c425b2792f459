import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The SQS calls a queue consumer makes — ReceiveMessage (long polling), DeleteMessage,
/// ChangeMessageVisibility — in SQS's JSON protocol (`X-Amz-Target: AmazonSQS.…`).
public struct SQSClient: Sendable {
    /// A received message: its receipt handle is what deletes it or extends its invisibility.
    public struct Message: Sendable {
        public var messageId: String
        public var receiptHandle: String
        public var body: String
        /// How many times SQS has handed this message out (`ApproximateReceiveCount`).
        public var receiveCount: Int
    }

    private let service: AWSService

    /// - Parameters:
    ///   - region: the queue's region (``region(ofQueue:)`` reads it from an AWS queue URL).
    public init(credentials: any CredentialProvider, region: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                http: HTTPClient = AWSHTTPClient.sharedHTTP) {
        service = AWSService("sqs", credentials: credentials, region: region, environment: environment, http: http)
    }

    /// The region of an AWS queue URL (`https://sqs.eu-west-1.amazonaws.com/…`), or `nil`.
    public static func region(ofQueue url: String) -> String? {
        guard let host = URLComponents(string: url)?.host else { return nil }
        let parts = host.split(separator: ".")
        guard parts.count >= 4, parts[0] == "sqs", parts[2] == "amazonaws" else { return nil }
        return String(parts[1])
    }

    /// Up to `maximum` (1–10) messages, waiting up to `wait` seconds (long polling) for the first;
    /// each stays invisible to other consumers for `visibility` seconds.
    public func receive(queue: String, maximum: Int = 10, wait: Int = 20, visibility: Int) async throws -> [Message] {
        let answer = try await call("ReceiveMessage", [
            "QueueUrl": queue, "MaxNumberOfMessages": max(1, min(10, maximum)), "WaitTimeSeconds": max(0, min(20, wait)),
            "VisibilityTimeout": visibility, "MessageSystemAttributeNames": ["ApproximateReceiveCount"],
            "AttributeNames": ["ApproximateReceiveCount"],
        ], timeout: .seconds(Int64(wait) + 15))
        let messages = answer["Messages"] as? [[String: Any]] ?? []
        return messages.compactMap { item in
            guard let id = item["MessageId"] as? String, let handle = item["ReceiptHandle"] as? String else { return nil }
            let attributes = item["Attributes"] as? [String: Any]
            let count = (attributes?["ApproximateReceiveCount"] as? String).flatMap(Int.init) ?? 1
            return Message(messageId: id, receiptHandle: handle, body: item["Body"] as? String ?? "", receiveCount: count)
        }
    }

    /// Deletes a handled message.
    public func delete(queue: String, receiptHandle: String) async throws {
        _ = try await call("DeleteMessage", ["QueueUrl": queue, "ReceiptHandle": receiptHandle])
    }

    /// Keeps a message invisible for `seconds` more from now (0: visible again at once).
    public func changeVisibility(queue: String, receiptHandle: String, seconds: Int) async throws {
        _ = try await call("ChangeMessageVisibility", ["QueueUrl": queue, "ReceiptHandle": receiptHandle, "VisibilityTimeout": seconds])
    }

    private func call(_ action: String, _ body: [String: Any], timeout: TimeAmount = .seconds(30)) async throws -> [String: Any] {
        try await service.json(target: "AmazonSQS.\(action)", version: "1.0", body, timeout: timeout)
    }
}
