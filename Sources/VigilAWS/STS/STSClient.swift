import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// AWS Security Token Service: the two calls the credential chain makes (Query API, XML answers).
struct STSClient: Sendable {
    let region: String
    let environment: [String: String]
    let http: HTTPClient

    /// AssumeRole, signed with `source`'s credentials (a cross-account log bucket's role, with the
    /// external ID its trust policy demands).
    func assumeRole(roleArn: String, sessionName: String, externalId: String?, source: any CredentialProvider) async throws -> AWSCredentials {
        var form = [("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleArn), ("RoleSessionName", sessionName)]
        if let externalId { form.append(("ExternalId", externalId)) }
        let tree = try await AWSService("sts", credentials: source, region: region, environment: environment, http: http).query(form)
        return try Self.credentials(in: tree, result: "AssumeRoleResult")
    }

    /// AssumeRoleWithWebIdentity: unsigned, the token is the proof.
    func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, token: String) async throws -> AWSCredentials {
        let form = [("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleArn),
                    ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
        var request = HTTPClientRequest(url: endpoint.url(path: "/", query: ""))
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded; charset=utf-8")
        request.body = .bytes(Array(AWSService.encode(form).utf8))
        let response = try await AWSHTTPClient.execute(request, http: http, maximumBytes: 1 << 20, timeout: .seconds(30))
        guard (200..<300).contains(response.status) else { throw AWSHTTPClient.error(from: response) }
        guard let tree = XMLTree.parse(response.body) else { throw AWSError.response("STS: the answer is not XML") }
        return try Self.credentials(in: tree, result: "AssumeRoleWithWebIdentityResult")
    }

    private var endpoint: AWSEndpoint { AWSEndpoint.resolve(service: "sts", region: region, environment: environment) }

    private static func credentials(in tree: XMLTree, result: String) throws -> AWSCredentials {
        guard let credentials = tree.find(result)?.child("Credentials"),
              let key = credentials.text("AccessKeyId"), let secret = credentials.text("SecretAccessKey") else {
            throw AWSError.response("STS answered without credentials")
        }
        let expiration = credentials.text("Expiration").flatMap(AWSDate.parse)
        return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: credentials.text("SessionToken"), expiration: expiration)
    }
}
