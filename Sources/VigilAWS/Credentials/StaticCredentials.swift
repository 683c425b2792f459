/// Credentials given outright (tests, a key in the configuration).
public struct StaticCredentials: CredentialProvider {
    public let value: AWSCredentials
    public init(_ value: AWSCredentials) { self.value = value }
    public func credentials() async throws -> AWSCredentials { value }
}
