/// What went wrong talking to AWS: the service's own error (`NoSuchBucket`, `AccessDenied`, …)
/// with its HTTP status and message, or a failure before there was an answer.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case service(status: Int, code: String)
        case transport
        case credentials
        case response
    }

    private let kind: Kind
    public let message: String
    /// For S3's redirects: the region the bucket lives in.
    public var bucketRegion: String?

    /// The service's error code (`NoSuchKey`), or `nil` when the service did not answer with one.
    public var code: String? {
        if case .service(_, let code) = kind { return code }
        return nil
    }

    /// The HTTP status of the service's answer, or `nil`.
    public var status: Int? {
        if case .service(let status, _) = kind { return status }
        return nil
    }

    /// Whether trying again later may work: throttling, a server error, no answer at all.
    public var isRetryable: Bool {
        switch kind {
        case .service(let status, let code):
            return status >= 500 || status == 429 || ["Throttling", "ThrottlingException", "SlowDown", "RequestTimeout"].contains(code)
        case .transport: return true
        case .credentials, .response: return false
        }
    }

    public static func service(status: Int, code: String, message: String, bucketRegion: String? = nil) -> AWSError {
        AWSError(kind: .service(status: status, code: code), message: message, bucketRegion: bucketRegion)
    }

    public static func transport(_ message: String) -> AWSError { AWSError(kind: .transport, message: message, bucketRegion: nil) }
    public static func credentials(_ message: String) -> AWSError { AWSError(kind: .credentials, message: message, bucketRegion: nil) }
    public static func response(_ message: String) -> AWSError { AWSError(kind: .response, message: message, bucketRegion: nil) }

    public var description: String {
        switch kind {
        case .service(let status, let code): return "\(code) (HTTP \(status)): \(message)"
        case .transport: return "cannot reach AWS: \(message)"
        case .credentials: return "no usable AWS credentials: \(message)"
        case .response: return "unexpected answer from AWS: \(message)"
        }
    }
}
