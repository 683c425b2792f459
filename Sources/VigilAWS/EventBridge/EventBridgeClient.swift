import AsyncHTTPClient
import Foundation

/// EventBridge's PutEvents (JSON protocol 1.1).
public struct EventBridgeClient: Sendable {
    private let service: AWSService

    public init(credentials: any CredentialProvider, region: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                http: HTTPClient = AWSHTTPClient.sharedHTTP) {
        service = AWSService("events", credentials: credentials, region: region, environment: environment, http: http)
    }

    /// Puts one event on `bus`; throws unless EventBridge accepted it.
    public func putEvent(bus: String, source: String, detailType: String, detail: String, resources: [String] = []) async throws {
        let answer = try await service.json(target: "AWSEvents.PutEvents", version: "1.1", [
            "Entries": [["EventBusName": bus, "Source": source, "DetailType": detailType, "Detail": detail, "Resources": resources]],
        ])
        if let failed = answer["FailedEntryCount"] as? Int, failed > 0 {
            let entry = (answer["Entries"] as? [[String: Any]])?.first
            throw AWSError.service(status: 200, code: entry?["ErrorCode"] as? String ?? "FailedEntry", message: entry?["ErrorMessage"] as? String ?? "")
        }
    }
}
