import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One AWS service in one region — its endpoint (``AWSEndpoint/resolve(service:region:environment:)``)
/// and a signing client — with the two protocols Vigil's small clients speak: JSON
/// (`X-Amz-Target`; SQS, EventBridge) and Query (a form; SNS, STS). What each client holds.
struct AWSService: Sendable {
    let name: String
    let client: AWSHTTPClient
    let endpoint: AWSEndpoint

    init(_ name: String, credentials: any CredentialProvider, region: String, environment: [String: String], http: HTTPClient) {
        self.name = name
        client = AWSHTTPClient(credentials: credentials, region: region, http: http)
        endpoint = AWSEndpoint.resolve(service: name, region: region, environment: environment)
    }

    /// A signed request to the service's endpoint (see ``AWSHTTPClient/send``).
    func send(method: HTTPMethod, path: String, headers: [String: String], body: [UInt8], maximumBytes: Int,
              timeout: TimeAmount = .seconds(60)) async throws -> AWSHTTPClient.Response {
        try await client.send(service: name, endpoint: endpoint, method: method, path: path, headers: headers, body: body,
                              maximumBytes: maximumBytes, timeout: timeout)
    }

    /// One JSON-protocol call (`X-Amz-Target: <target>`): the request object in, the answer object out.
    func json(target: String, version: String, _ body: [String: Any], timeout: TimeAmount = .seconds(30)) async throws -> [String: Any] {
        let bytes = Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        let response = try await send(method: .POST, path: "/", headers: ["content-type": "application/x-amz-json-\(version)", "x-amz-target": target],
                                      body: bytes, maximumBytes: 4 << 20, timeout: timeout)
        guard !response.body.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw AWSError.response("\(target): the answer is not a JSON object")
        }
        return object
    }

    /// One Query-protocol call: a form in, the XML answer out.
    func query(_ form: [(String, String)]) async throws -> XMLTree {
        let response = try await send(method: .POST, path: "/", headers: ["content-type": "application/x-www-form-urlencoded; charset=utf-8"],
                                      body: Array(Self.encode(form).utf8), maximumBytes: 1 << 20)
        guard let tree = XMLTree.parse(response.body) else { throw AWSError.response("\(name): the answer is not XML") }
        return tree
    }

    /// A form body, each name and value encoded as SigV4 wants them.
    static func encode(_ form: [(String, String)]) -> String {
        form.map { "\(SigV4.encode($0.0, keepSlash: false))=\(SigV4.encode($0.1, keepSlash: false))" }.joined(separator: "&")
    }
}
