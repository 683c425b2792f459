import Foundation

/// An access key, with its session token and expiry when it is temporary (an assumed role, a
/// container's or an instance's credentials).
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// Whether they should be fetched again: expired, or expiring within `margin` seconds.
    public func expires(within margin: TimeInterval, now: Date = Date()) -> Bool {
        expiration.map { $0.timeIntervalSince(now) < margin } ?? false
    }

    /// Never the secret or the token: credentials end up in logs through string interpolation.
    public var description: String { "AWSCredentials(\(accessKeyId)\(sessionToken == nil ? "" : ", temporary"))" }
}
