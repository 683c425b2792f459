import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// An EC2 instance profile's credentials through the instance metadata service, version 2 only
/// (a session token first, as IMDSv2 requires): `AWS_EC2_METADATA_SERVICE_ENDPOINT` or
/// `http://169.254.169.254`; off with `AWS_EC2_METADATA_DISABLED=true`. Off an instance the
/// service does not answer within a second and the chain ends without it.
struct InstanceMetadataCredentials: ChainLink {
    let environment: [String: String]
    let http: HTTPClient
    var name: String { "instance metadata (IMDSv2)" }

    func resolve() async throws -> AWSCredentials? {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        var base = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://169.254.169.254"
        if base.hasSuffix("/") { base.removeLast() }
        var tokenRequest = HTTPClientRequest(url: base + "/latest/api/token")
        tokenRequest.method = .PUT
        tokenRequest.headers.add(name: "x-aws-ec2-metadata-token-ttl-seconds", value: "21600")
        guard let tokenResponse = try? await AWSHTTPClient.execute(tokenRequest, http: http, maximumBytes: 4096, timeout: .seconds(1)),
              tokenResponse.status == 200 else { return nil }
        let token = String(decoding: tokenResponse.body, as: UTF8.self)
        func get(_ path: String) async throws -> [UInt8] {
            var request = HTTPClientRequest(url: base + path)
            request.headers.add(name: "x-aws-ec2-metadata-token", value: token)
            let response = try await AWSHTTPClient.execute(request, http: http, maximumBytes: 1 << 16, timeout: .seconds(2))
            guard response.status == 200 else { throw AWSError.credentials("instance metadata \(path) answered HTTP \(response.status)") }
            return response.body
        }
        let roles = String(decoding: try await get("/latest/meta-data/iam/security-credentials/"), as: UTF8.self)
        guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw AWSError.credentials("this instance has no instance profile")
        }
        let path = "/latest/meta-data/iam/security-credentials/" + SigV4.encode(role, keepSlash: false)
        return try ContainerCredentials.credentials(json: try await get(path), from: base + path)
    }
}
