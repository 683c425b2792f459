import AsyncHTTPClient
import Foundation

/// Security Hub's BatchImportFindings (REST JSON): findings in the AWS Security Finding Format.
public struct SecurityHubClient: Sendable {
    private let service: AWSService

    public init(credentials: any CredentialProvider, region: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                http: HTTPClient = AWSHTTPClient.sharedHTTP) {
        service = AWSService("securityhub", credentials: credentials, region: region, environment: environment, http: http)
    }

    /// Imports `findings` (ASFF objects, at most 100); throws unless every one was accepted.
    public func importFindings(_ findings: [[String: Any]]) async throws {
        let bytes = Array(try JSONSerialization.data(withJSONObject: ["Findings": findings], options: [.sortedKeys]))
        let response = try await service.send(method: .POST, path: "/findings/import", headers: ["content-type": "application/json"], body: bytes,
                                              maximumBytes: 1 << 20)
        let answer = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
        if let failed = answer["FailedCount"] as? Int, failed > 0 {
            let first = (answer["FailedFindings"] as? [[String: Any]])?.first
            throw AWSError.service(status: 200, code: first?["ErrorCode"] as? String ?? "FailedFinding", message: first?["ErrorMessage"] as? String ?? "")
        }
    }
}
