import Crypto
import Foundation
import VigilModel

extension EventDelivery {
    /// The EventBridge event GuardDuty sends for a finding.
    public static func envelope(_ finding: Finding, now: Date) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let detail = (try? encoder.encode(finding)).flatMap { try? JSONSerialization.jsonObject(with: $0) } ?? [:]
        let event: [String: Any] = [
            "version": "0", "id": UUID().uuidString.lowercased(), "detail-type": "GuardDuty Finding", "source": "aws.guardduty",
            "account": finding.accountId, "time": Timestamp(millisecondsSinceEpoch: Int64(now.timeIntervalSince1970 * 1000)).iso8601,
            "region": finding.region, "resources": [String](), "detail": detail,
        ]
        return String(decoding: (try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The signature header value: `sha256=` and the hex HMAC-SHA256 of `"<timestamp>.<body>"`.
    public static func signature(secret: String, timestamp: String, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
