import Foundation

/// Signs requests to AWS with Signature Version 4 (the `Authorization` header form).
///
/// Signs `host`, `x-amz-date`, `x-amz-content-sha256` and, with temporary credentials,
/// `x-amz-security-token`, plus any other headers the caller asks for. S3 signs the path as sent;
/// every other service signs it encoded once more, as botocore does.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to send: `headers` (lower-case names) with the signing headers and the
    /// `authorization` header added.
    ///
    /// - Parameters:
    ///   - path: the path as sent, already percent-encoded (`/bucket/AWSLogs/x%3Ay.json`).
    ///   - query: the query as sent (`list-type=2&prefix=AWSLogs%2F`).
    ///   - host: the `Host` header's value (with the port when it is not the scheme's default).
    public func sign(method: String, host: String, path: String, query: String, headers: [String: String] = [:],
                     payloadHash: String, date: Date = Date()) -> [String: String] {
        var headers = headers
        let amzDate = SigV4.amzDate(date)
        headers["host"] = host
        headers["x-amz-date"] = amzDate
        headers["x-amz-content-sha256"] = payloadHash
        if let token = credentials.sessionToken { headers["x-amz-security-token"] = token }
        let signed = headers.keys.filter { $0 != "authorization" && $0 != "user-agent" && $0 != "content-length" }.sorted()
        let scope = SigV4.Scope(day: String(amzDate.prefix(8)), region: region, service: service)
        let canonicalURI = service == "s3" ? path : SigV4.encode(path, keepSlash: true)
        let canonical = SigV4.canonicalRequest(method: method, canonicalURI: canonicalURI, query: query, headers: headers,
                                               signedHeaders: signed, payloadHash: payloadHash)
        let toSign = SigV4.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical)
        let signature = SigV4.signature(secretAccessKey: credentials.secretAccessKey, scope: scope, stringToSign: toSign)
        headers["authorization"] = "\(SigV4.algorithm) Credential=\(credentials.accessKeyId)/\(scope.text), SignedHeaders=\(signed.joined(separator: ";")), Signature=\(signature)"
        return headers
    }
}
