/// A source of AWS credentials.
public protocol CredentialProvider: Sendable {
    /// Current credentials. Throws ``AWSError`` when this source is configured but cannot give
    /// any (an unreadable token file, a role that cannot be assumed).
    func credentials() async throws -> AWSCredentials
}

/// One link of the standard chain: `nil` when it is not configured here (the chain moves on).
protocol ChainLink: Sendable {
    var name: String { get }
    func resolve() async throws -> AWSCredentials?
}
