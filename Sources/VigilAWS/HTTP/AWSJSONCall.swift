import Foundation
import NIOCore
import NIOHTTP1

extension AWSHTTPClient {
    /// One call of a JSON-protocol service (`X-Amz-Target: <prefix>.<action>`; SQS, EventBridge):
    /// the request object in, the answer object out.
    func jsonCall(service: String, endpoint: AWSEndpoint, target: String, version: String, _ body: [String: Any],
                  timeout: TimeAmount = .seconds(30)) async throws -> [String: Any] {
        let bytes = Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        let response = try await send(service: service, endpoint: endpoint, method: .POST, path: "/",
                                      headers: ["content-type": "application/x-amz-json-\(version)", "x-amz-target": target],
                                      body: bytes, maximumBytes: 4 << 20, timeout: timeout)
        guard !response.body.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw AWSError.response("\(target): the answer is not a JSON object")
        }
        return object
    }

    /// One call of a Query-protocol service (SNS, STS): a form in, the XML answer out.
    func queryCall(service: String, endpoint: AWSEndpoint, _ form: [(String, String)]) async throws -> XMLTree {
        let body = form.map { "\(SigV4.encode($0.0, keepSlash: false))=\(SigV4.encode($0.1, keepSlash: false))" }.joined(separator: "&")
        let response = try await send(service: service, endpoint: endpoint, method: .POST, path: "/",
                                      headers: ["content-type": "application/x-www-form-urlencoded; charset=utf-8"],
                                      body: Array(body.utf8), maximumBytes: 1 << 20)
        guard let tree = XMLTree.parse(response.body) else { throw AWSError.response("\(service): the answer is not XML") }
        return tree
    }
}
