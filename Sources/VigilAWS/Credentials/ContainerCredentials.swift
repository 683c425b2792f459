import AsyncHTTPClient
import Foundation
import NIOCore

/// ECS (and EKS Pod Identity) container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// under `http://169.254.170.2`, or `AWS_CONTAINER_CREDENTIALS_FULL_URI` with the authorisation
/// token in `AWS_CONTAINER_AUTHORIZATION_TOKEN` or the file `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`.
struct ContainerCredentials: ChainLink {
    let environment: [String: String]
    let http: HTTPClient
    var name: String { "container credentials" }

    func resolve() async throws -> AWSCredentials? {
        let url: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            url = "http://169.254.170.2" + relative
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            url = full
        } else {
            return nil
        }
        var request = HTTPClientRequest(url: url)
        if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !file.isEmpty {
            guard let token = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw AWSError.credentials("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file)")
            }
            request.headers.add(name: "authorization", value: token.trimmingCharacters(in: .whitespacesAndNewlines))
        } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty {
            request.headers.add(name: "authorization", value: token)
        }
        let response = try await AWSHTTPClient.execute(request, http: http, maximumBytes: 1 << 16, timeout: .seconds(5))
        guard response.status == 200 else { throw AWSError.credentials("\(url) answered HTTP \(response.status)") }
        return try Self.credentials(json: response.body, from: url)
    }

    /// The JSON both the container endpoint and instance metadata answer with.
    static func credentials(json body: [UInt8], from url: String) throws -> AWSCredentials {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let key = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String else {
            throw AWSError.credentials("\(url) answered without AccessKeyId and SecretAccessKey")
        }
        return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: object["Token"] as? String,
                              expiration: (object["Expiration"] as? String).flatMap(AWSDate.parse))
    }
}
