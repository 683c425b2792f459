import Crypto
import Foundation
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
        guard let key = credentials[accessKeyId], Self.constantTimeEquals(key.secretAccessKey, secretAccessKey) else { return nil }
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
              let date = Self.parse(amzDate), abs(date.timeIntervalSince(now)) <= allowedSkew else { return nil }
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
        guard let amzDate = request.headers["x-amz-date"], let date = Self.parse(amzDate), amzDate.hasPrefix(day) else {
            throw APIError(status: 400, type: "IncompleteSignatureException", message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        if abs(date.timeIntervalSince(now)) > allowedSkew {
            throw APIError(status: 403, type: "InvalidSignatureException",
                           message: "Signature expired: \(amzDate) is now earlier than \(Self.format(now.addingTimeInterval(-allowedSkew))) (\(Self.format(now)) - 15 min.)")
        }
        let headerNames = signedHeaders.split(separator: ";").map(String.init)
        guard headerNames.contains("host") else {
            throw APIError(status: 403, type: "InvalidSignatureException", message: "'Host' must be a signed header.")
        }
        // The payload hash is the body's own: a declared `x-amz-content-sha256` must equal it, so a
        // captured request cannot be replayed with another body.
        let bodyHash = Self.hex(SHA256.hash(data: request.body))
        if let declared = request.headers["x-amz-content-sha256"], declared.lowercased() != bodyHash {
            throw APIError(status: 400, type: "XAmzContentSHA256Mismatch",
                           message: "The provided 'x-amz-content-sha256' header does not match what was computed.")
        }
        let canonical = Self.canonicalRequest(request, signedHeaders: headerNames, payloadHash: bodyHash)
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(day)/\(region)/\(scopeService)/aws4_request\n\(Self.hex(SHA256.hash(data: Array(canonical.utf8))))"
        var signingKey = SymmetricKey(data: Array("AWS4\(key.secretAccessKey)".utf8))
        for part in [day, region, scopeService, "aws4_request"] {
            signingKey = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: signingKey)))
        }
        let expected = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey))
        guard Self.constantTimeEquals(expected, signature) else {
            throw APIError(status: 403, type: "InvalidSignatureException",
                           message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        }
        return Caller(accountId: key.accountId, region: region, accessKeyId: keyId, isServerAdministrator: key.serverAdministrator == true)
    }

    /// The canonical request of SigV4: method, URI (each byte not unreserved percent-encoded
    /// again, as botocore does for every service but S3), sorted query, signed headers, payload hash.
    static func canonicalRequest(_ request: SignedRequest, signedHeaders: [String], payloadHash: String? = nil) -> String {
        let uri = request.path.isEmpty ? "/" : encode(request.path, keepSlash: true)
        var pairs: [(String, String)] = []
        for pair in request.query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let value = kv.count > 1 ? kv[1] : ""
            pairs.append((encode(decode(kv[0]), keepSlash: false), encode(decode(value), keepSlash: false)))
        }
        pairs.sort { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
        let query = pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let headers = signedHeaders.map { name -> String in
            "\(name):\(normalisedHeaderValue(request.headers[name] ?? ""))\n"
        }.joined()
        let payload = payloadHash ?? hex(SHA256.hash(data: request.body))
        return "\(request.method)\n\(uri)\n\(query)\n\(headers)\n\(signedHeaders.joined(separator: ";"))\n\(payload)"
    }

    static func encode(_ text: String, keepSlash: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A header value as SigV4 signs it: trimmed, each run of spaces one space.
    static func normalisedHeaderValue(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
    }

    /// Lower-case hexadecimal of a digest.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 15)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// `20261128T082320Z` (SigV4's basic ISO-8601 form) as a date; `nil` for anything else.
    static func parse(_ amzDate: String) -> Date? {
        let b = Array(amzDate.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z"),
              b[0..<8].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), b[9..<15].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let s = String(decoding: b, as: UTF8.self)
        let i = s.utf8.startIndex
        func part(_ from: Int, _ to: Int) -> Substring { s[s.utf8.index(i, offsetBy: from)..<s.utf8.index(i, offsetBy: to)] }
        guard let time = Timestamp(iso8601: "\(part(0, 4))-\(part(4, 6))-\(part(6, 8))T\(part(9, 11)):\(part(11, 13)):\(part(13, 15))Z") else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(time.millisecondsSinceEpoch) / 1000)
    }

    /// A date in SigV4's basic ISO-8601 form, `20261128T082320Z`.
    static func format(_ date: Date) -> String {
        let iso = Timestamp(secondsSinceEpoch: Int64(date.timeIntervalSince1970.rounded(.down))).iso8601  // 2026-11-28T08:23:20.000Z
        return String(iso.utf8.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ":") }.prefix(15).map { Character(UnicodeScalar($0)) }) + "Z"
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
