import AsyncHTTPClient
import Foundation

/// The AWS SDKs' standard credential chain, in their order: environment variables; a web identity
/// token (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, as EKS service accounts have); the shared
/// credentials and config files' profile (`AWS_PROFILE`, else `default`: keys, or a role assumed
/// from a source profile or credential source with an external ID); ECS container credentials;
/// EC2 instance metadata (IMDSv2).
///
/// The first link that is configured answers; if it fails, the chain fails with its reason rather
/// than silently using another identity. Temporary credentials are kept until five minutes before
/// they expire, then fetched again.
public actor CredentialChain: CredentialProvider {
    private let links: [any ChainLink]
    private var cached: AWSCredentials?
    /// Which link answered (for the log line saying which identity Vigil uses).
    public private(set) var source: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, http: HTTPClient = AWSHTTPClient.sharedHTTP) {
        let files = SharedConfigFiles(environment: environment)
        let profile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let region = AWSRegion.resolve(environment: environment, files: files)
        links = [
            EnvironmentCredentials(environment: environment),
            WebIdentityCredentials(environment: environment, region: region, http: http),
            ProfileCredentials(profile: profile, files: files, environment: environment, region: region, http: http),
            ContainerCredentials(environment: environment, http: http),
            InstanceMetadataCredentials(environment: environment, http: http),
        ]
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, !cached.expires(within: 300) { return cached }
        for link in links {
            if let found = try await link.resolve() {
                cached = found
                source = link.name
                return found
            }
        }
        throw AWSError.credentials("none of the environment, a web identity token, the shared files' profile, the container's or the instance's credentials is configured")
    }
}
