import Crypto
import Foundation
import VigilModel

/// AWS Signature Version 4, the parts both sides share: the canonical request, the string to sign,
/// the signing key and the signature. ``SigV4Signer`` signs Vigil's requests to AWS with them and
/// the API's verifier checks its callers' with them, so the two cannot drift apart.
public enum SigV4 {
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The canonical request: method, canonical URI, sorted and encoded query, signed headers
    /// (lower-case names, values trimmed and inner runs of spaces folded), their names, and the
    /// payload hash.
    ///
    /// - Parameters:
    ///   - canonicalURI: the path as it is signed — for S3 the key encoded once, for the other
    ///     services the path as sent encoded once more (``encode(_:keepSlash:)``).
    ///   - query: the query string as sent (`a=1&b=x%20y`), decoded and encoded again here.
    ///   - headers: by lower-case name.
    public static func canonicalRequest(method: String, canonicalURI: String, query: String, headers: [String: String],
                                        signedHeaders: [String], payloadHash: String) -> String {
        var pairs: [(String, String)] = []
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let value = kv.count > 1 ? kv[1] : ""
            pairs.append((encode(decode(kv[0]), keepSlash: false), encode(decode(value), keepSlash: false)))
        }
        pairs.sort { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
        let canonicalQuery = pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let canonicalHeaders = signedHeaders.map { name -> String in
            "\(name):\(normalisedHeaderValue(headers[name] ?? ""))\n"
        }.joined()
        let uri = canonicalURI.isEmpty ? "/" : canonicalURI
        return "\(method)\n\(uri)\n\(canonicalQuery)\n\(canonicalHeaders)\n\(signedHeaders.joined(separator: ";"))\n\(payloadHash)"
    }

    /// The string to sign for a canonical request.
    public static func stringToSign(amzDate: String, scope: Scope, canonicalRequest: String) -> String {
        "\(algorithm)\n\(amzDate)\n\(scope.text)\n\(hex(SHA256.hash(data: Array(canonicalRequest.utf8))))"
    }

    /// The signature: HMAC-SHA256 of the string to sign under the key derived from the secret
    /// through the scope's day, region and service.
    public static func signature(secretAccessKey: String, scope: Scope, stringToSign: String) -> String {
        var key = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        for part in [scope.day, scope.region, scope.service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// A credential scope: `20261128/us-east-1/s3/aws4_request`.
    public struct Scope: Sendable, Equatable {
        public var day: String
        public var region: String
        public var service: String
        public init(day: String, region: String, service: String) {
            self.day = day
            self.region = region
            self.service = service
        }
        public var text: String { "\(day)/\(region)/\(service)/aws4_request" }
    }

    /// Lower-case hexadecimal SHA-256 of `bytes` (a payload hash).
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(SHA256.hash(data: Array(bytes)))
    }

    /// The SHA-256 of an empty payload.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// RFC 3986 encoding as SigV4 wants it: every byte but the unreserved ones (and `/` with
    /// `keepSlash`) as `%XX`, upper-case.
    public static func encode(_ text: String, keepSlash: Bool) -> String {
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
                out.append(UInt8(ascii: "%"))
                out.append(upperHexDigits[Int(byte >> 4)])
                out.append(upperHexDigits[Int(byte & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
    private static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A query component as sent, decoded (`+` as a space, as form encoding has it).
    public static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
    }

    /// A header value as SigV4 signs it: trimmed, each run of spaces one space.
    public static func normalisedHeaderValue(_ value: String) -> String {
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

    /// Lower-case hexadecimal of a digest.
    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(lowerHexDigits[Int(byte >> 4)])
            bytes.append(lowerHexDigits[Int(byte & 15)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Compares two signatures in time independent of where they differ.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// `20261128T082320Z` (SigV4's basic ISO-8601 form) as a date; `nil` for anything else.
    public static func parseAmzDate(_ amzDate: String) -> Date? {
        let b = Array(amzDate.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z"),
              b[0..<8].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), b[9..<15].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var extended = Array(b[0..<4]) + [UInt8(ascii: "-")] + Array(b[4..<6]) + [UInt8(ascii: "-")] + Array(b[6..<8])
        extended += [UInt8(ascii: "T")] + Array(b[9..<11]) + [UInt8(ascii: ":")] + Array(b[11..<13]) + [UInt8(ascii: ":")] + Array(b[13..<15])
        extended.append(UInt8(ascii: "Z"))
        guard let time = Timestamp(iso8601: String(decoding: extended, as: UTF8.self)) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(time.millisecondsSinceEpoch) / 1000)
    }

    /// A date in SigV4's basic ISO-8601 form, `20261128T082320Z`.
    public static func amzDate(_ date: Date) -> String {
        let iso = Timestamp(secondsSinceEpoch: Int64(date.timeIntervalSince1970.rounded(.down))).iso8601  // 2026-11-28T08:23:20.000Z
        return String(decoding: iso.utf8.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ":") }.prefix(15), as: UTF8.self) + "Z"
    }
}
