import AsyncHTTPClient
import Foundation

/// SNS's Publish (Query protocol).
public struct SNSClient: Sendable {
    private let service: AWSService

    public init(credentials: any CredentialProvider, region: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                http: HTTPClient = AWSHTTPClient.sharedHTTP) {
        service = AWSService("sns", credentials: credentials, region: region, environment: environment, http: http)
    }

    /// The region of a topic ARN (`arn:aws:sns:eu-west-1:…`), or `nil`.
    public static func region(ofTopic arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts[2] == "sns" && !parts[3].isEmpty ? String(parts[3]) : nil
    }

    /// Publishes `message` to `topic`; returns the message ID.
    @discardableResult
    public func publish(topic: String, message: String, subject: String? = nil) async throws -> String {
        var form = [("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topic), ("Message", message)]
        if let subject { form.append(("Subject", subject)) }
        let tree = try await service.query(form)
        return tree.find("MessageId").map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
    }
}
