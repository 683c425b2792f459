import Crypto
import Foundation
import VigilAWS
import VigilModel

/// An access key Vigil accepts, bound to the account whose findings it may see.
public struct APICredential: Sendable, Equatable, Codable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var accountId: String
    /// An administrator of the server itself (not GuardDuty's administrator account): the console
    /// shows it the server's delivery targets, watched folders and other settings.
    public var serverAdministrator: Bool?
    public init(accessKeyId: String, secretAccessKey: String, accountId: String, serverAdministrator: Bool? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.accountId = accountId
        self.serverAdministrator = serverAdministrator
    }

    /// moto's test credentials, accepted in `--test-mode` (still signature-checked).
    public static let motoTest = APICredential(accessKeyId: "FOOBARKEY", secretAccessKey: "FOOBARSECRET", accountId: "123456789012")
}

/// A request as the verifier sees it: method, the path and query exactly as sent, headers with
/// lower-case names, and the body.
public struct SignedRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String
    public var headers: [String: String]
    public var body: [UInt8]
    public init(method: String, path: String, query: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// Verifies AWS Signature Version 4 (`Authorization: AWS4-HMAC-SHA256 …`) as AWS does for
/// GuardDuty: the signature over the canonical request must match the one computed with the
/// key's secret, the scope's service must be `guardduty`, and the request time (`X-Amz-Date`)
/// must be within 15 minutes of the server's clock. The caller's account and region come from
/// the key and the credential scope.
public struct SigV4Verifier: Sendable {
    public struct Caller: Sendable, Equatable {
        public var accountId: String
        public var region: String
        public var accessKeyId: String
        /// Whether the key is one of the server's administrators (sees the server's own settings).
        public var isServerAdministrator: Bool = false
    }

    private let credentials: [String: APICredential]
    public let service: String
    public let allowedSkew: TimeInterval

    public init(credentials: [APICredential], service: String = "guardduty", allowedSkew: TimeInterval = 900) {
        var byKey: [String: APICredential] = [:]
        for credential in credentials { byKey[credential.accessKeyId] = credential }
        self.credentials = byKey
        self.service = service
        self.allowedSkew = allowedSkew
    }

    /// The caller a console sign-in names: the account of `accessKeyId` when `secretAccessKey` is
    /// its secret (compared in constant time), else `nil`.
    public func caller(accessKeyId: String, secretAccessKey: String, region: String) -> Caller? {
        guard let key = credentials[accessKeyId], SigV4.constantTimeEquals(key.secretAccessKey, secretAccessKey) else { return nil }
        return Caller(accountId: key.accountId, region: region, accessKeyId: accessKeyId, isServerAdministrator: key.serverAdministrator == true)
    }

    /// What the headers alone tell before the body is read: the caller a well-formed, fresh
    /// `Authorization` of a known key for this service names, or `nil`. Not authentication (the
    /// signature is not checked): the server reads a larger body only for such requests.
    public func claimedCaller(headers: [String: String], now: Date = Date()) -> Caller? {
        guard let authorization = headers["authorization"], authorization.hasPrefix("AWS4-HMAC-SHA256 "),
              let credential = authorization.split(separator: ",").first?.split(separator: "=", maxSplits: 1).last else { return nil }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[3] == service, let key = credentials[scope[0]], let amzDate = headers["x-amz-date"],
              let date = SigV4.parseAmzDate(amzDate), abs(date.timeIntervalSince(now)) <= allowedSkew else { return nil }
        return Caller(accountId: key.accountId, region: scope[2], accessKeyId: scope[0], isServerAdministrator: key.serverAdministrator == true)
    }

    /// The caller, or the error AWS would return.
    public func verify(_ request: SignedRequest, now: Date = Date()) throws(APIError) -> Caller {
        guard let authorization = request.headers["authorization"] else {
            throw APIError(status: 403, type: "MissingAuthenticationTokenException", message: "Missing Authentication Token")
        }
        guard authorization.hasPrefix("AWS4-HMAC-SHA256 ") else {
            throw APIError(status: 400, type: "IncompleteSignatureException", message: "Unsupported Authorization scheme; only AWS4-HMAC-SHA256 is accepted.")
        }
        var parts: [String: String] = [:]
        for item in authorization.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            parts[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
        }
        guard let credential = parts["Credential"], let signedHeaders = parts["SignedHeaders"], let signature = parts["Signature"] else {
            throw APIError(status: 400, type: "IncompleteSignatureException",
                           message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.")
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request" else {
            throw APIError(status: 400, type: "IncompleteSignatureException", message: "Credential should be scoped to a valid region and service.")
        }
        let (keyId, day, region, scopeService) = (scope[0], scope[1], scope[2], scope[3])
        guard let key = credentials[keyId] else {
            throw APIError(status: 403, type: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
        }
        guard scopeService == service else {
            throw APIError(status: 403, type: "InvalidSignatureException", message: "Credential should be scoped to correct service: '\(service)'.")
        }
        guard let amzDate = request.headers["x-amz-date"], let date = SigV4.parseAmzDate(amzDate), amzDate.hasPrefix(day) else {
            throw APIError(status: 400, type: "IncompleteSignatureException", message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        if abs(date.timeIntervalSince(now)) > allowedSkew {
            throw APIError(status: 403, type: "InvalidSignatureException",
                           message: "Signature expired: \(amzDate) is now earlier than \(SigV4.amzDate(now.addingTimeInterval(-allowedSkew))) (\(SigV4.amzDate(now)) - 15 min.)")
        }
        let headerNames = signedHeaders.split(separator: ";").map(String.init)
        guard headerNames.contains("host") else {
            throw APIError(status: 403, type: "InvalidSignatureException", message: "'Host' must be a signed header.")
        }
        // The payload hash is the body's own: a declared `x-amz-content-sha256` must equal it, so a
        // captured request cannot be replayed with another body.
        let bodyHash = SigV4.sha256Hex(request.body)
        if let declared = request.headers["x-amz-content-sha256"], declared.lowercased() != bodyHash {
            throw APIError(status: 400, type: "XAmzContentSHA256Mismatch",
                           message: "The provided 'x-amz-content-sha256' header does not match what was computed.")
        }
        let signingScope = SigV4.Scope(day: day, region: region, service: scopeService)
        let canonical = Self.canonicalRequest(request, signedHeaders: headerNames, payloadHash: bodyHash)
        let toSign = SigV4.stringToSign(amzDate: amzDate, scope: signingScope, canonicalRequest: canonical)
        let expected = SigV4.signature(secretAccessKey: key.secretAccessKey, scope: signingScope, stringToSign: toSign)
        guard SigV4.constantTimeEquals(expected, signature) else {
            throw APIError(status: 403, type: "InvalidSignatureException",
                           message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        }
        return Caller(accountId: key.accountId, region: region, accessKeyId: keyId, isServerAdministrator: key.serverAdministrator == true)
    }

    /// The canonical request of a GuardDuty call: the path as sent encoded once more (as botocore
    /// does for every service but S3), the query, the signed headers and the payload hash.
    static func canonicalRequest(_ request: SignedRequest, signedHeaders: [String], payloadHash: String? = nil) -> String {
        SigV4.canonicalRequest(method: request.method, canonicalURI: SigV4.encode(request.path, keepSlash: true), query: request.query,
                               headers: request.headers, signedHeaders: signedHeaders, payloadHash: payloadHash ?? SigV4.sha256Hex(request.body))
    }
}

/// An error as AWS's rest-json services send it: the HTTP status, the `X-Amzn-ErrorType` header,
/// and `{"message": …}` (GuardDuty adds `"__type"` and `"type"`).
public struct APIError: Error, Sendable, Equatable {
    public var status: Int
    public var type: String
    public var message: String
    public init(status: Int, type: String, message: String) {
        self.status = status
        self.type = type
        self.message = message
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(status: 400, type: "BadRequestException", message: message)
    }

    public static func internalError(_ message: String) -> APIError {
        APIError(status: 500, type: "InternalServerErrorException", message: message)
    }

    /// The JSON body.
    public var body: [UInt8] {
        let object: [String: String] = ["message": message, "__type": type, "type": type == "BadRequestException" ? "InvalidInputException" : type]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map(Array.init) ?? Array("{}".utf8)
    }
}
