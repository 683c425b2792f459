import AsyncHTTPClient
import Foundation

/// A web identity token file and a role (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`,
/// `AWS_ROLE_SESSION_NAME`), as EKS gives pods with an IAM role for their service account:
/// exchanged with STS AssumeRoleWithWebIdentity. The file is read again at each exchange (the
/// kubelet rotates it).
struct WebIdentityCredentials: ChainLink {
    let environment: [String: String]
    let region: String
    let http: HTTPClient
    var name: String { "web identity token" }

    func resolve() async throws -> AWSCredentials? {
        guard let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"], !tokenFile.isEmpty,
              let role = environment["AWS_ROLE_ARN"], !role.isEmpty else { return nil }
        return try await Self.exchange(tokenFile: tokenFile, roleArn: role, sessionName: environment["AWS_ROLE_SESSION_NAME"],
                                       sts: STSClient(region: region, environment: environment, http: http))
    }

    static func exchange(tokenFile: String, roleArn: String, sessionName: String?, sts: STSClient) async throws -> AWSCredentials {
        guard let token = try? String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
              !token.isEmpty else {
            throw AWSError.credentials("cannot read the web identity token file \(tokenFile)")
        }
        return try await sts.assumeRoleWithWebIdentity(roleArn: roleArn, sessionName: sessionName ?? "vigil-\(Int(Date().timeIntervalSince1970))",
                                                        token: token)
    }
}
