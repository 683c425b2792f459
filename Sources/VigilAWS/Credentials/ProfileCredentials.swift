import AsyncHTTPClient
import Foundation

/// A profile of the shared files: its keys (`aws_access_key_id`, `aws_secret_access_key`,
/// `aws_session_token`); or a role (`role_arn`, with `external_id`, `role_session_name`) assumed
/// with the credentials of `source_profile` (itself resolved the same way) or of
/// `credential_source` (`Environment`, `EcsContainer`, `Ec2InstanceMetadata`); or a web identity
/// (`web_identity_token_file` + `role_arn`).
struct ProfileCredentials: ChainLink {
    let profile: String
    let files: SharedConfigFiles
    let environment: [String: String]
    let region: String
    let http: HTTPClient
    var name: String { "profile \(profile) of the shared files" }

    func resolve() async throws -> AWSCredentials? {
        guard files.profiles[profile] != nil else { return nil }
        return try await resolve(profile: profile, visited: [])
    }

    private func resolve(profile: String, visited: Set<String>) async throws -> AWSCredentials {
        guard !visited.contains(profile) else { throw AWSError.credentials("profile \(profile): source_profile refers back to itself") }
        guard files.profiles[profile] != nil else { throw AWSError.credentials("profile \(profile) is not in the shared files") }
        let sts = STSClient(region: files.value("region", profile: profile) ?? region, environment: environment, http: http)
        let sessionName = files.value("role_session_name", profile: profile) ?? "vigil-\(Int(Date().timeIntervalSince1970))"
        if let role = files.value("role_arn", profile: profile) {
            if let tokenFile = files.value("web_identity_token_file", profile: profile) {
                return try await WebIdentityCredentials.exchange(tokenFile: tokenFile, roleArn: role, sessionName: sessionName, sts: sts)
            }
            let source: any CredentialProvider
            if let sourceProfile = files.value("source_profile", profile: profile) {
                // A source profile with its own keys uses them even if it also names a role.
                if sourceProfile != profile {
                    source = StaticCredentials(try await resolve(profile: sourceProfile, visited: visited.union([profile])))
                } else {
                    source = StaticCredentials(try staticKeys(profile) ?? { throw AWSError.credentials("profile \(profile) has no keys to assume its role with") }())
                }
            } else if let named = files.value("credential_source", profile: profile) {
                source = try credentialSource(named, profile: profile)
            } else {
                throw AWSError.credentials("profile \(profile) names role_arn without source_profile or credential_source")
            }
            return try await sts.assumeRole(roleArn: role, sessionName: sessionName, externalId: files.value("external_id", profile: profile),
                                            source: source)
        }
        if let keys = try staticKeys(profile) { return keys }
        throw AWSError.credentials("profile \(profile) has neither keys nor a role")
    }

    private func staticKeys(_ profile: String) throws -> AWSCredentials? {
        guard let key = files.value("aws_access_key_id", profile: profile) else { return nil }
        guard let secret = files.value("aws_secret_access_key", profile: profile) else {
            throw AWSError.credentials("profile \(profile) has aws_access_key_id without aws_secret_access_key")
        }
        return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: files.value("aws_session_token", profile: profile))
    }

    private func credentialSource(_ name: String, profile: String) throws -> any CredentialProvider {
        let link: any ChainLink
        switch name {
        case "Environment": link = EnvironmentCredentials(environment: environment)
        case "EcsContainer": link = ContainerCredentials(environment: environment, http: http)
        case "Ec2InstanceMetadata": link = InstanceMetadataCredentials(environment: environment, http: http)
        default: throw AWSError.credentials("profile \(profile): credential_source \(name) is not Environment, EcsContainer or Ec2InstanceMetadata")
        }
        return LinkCredentials(link: link)
    }
}

/// A chain link used on its own (a profile's credential source): not configured is an error.
struct LinkCredentials: CredentialProvider {
    let link: any ChainLink
    func credentials() async throws -> AWSCredentials {
        guard let found = try await link.resolve() else { throw AWSError.credentials("\(link.name) is not configured") }
        return found
    }
}
