import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import VigilModel
import VigilStore

/// Where findings are pushed, as EventBridge events: webhooks (each request signed so receivers
/// can verify it) and JSON-lines files. Events go through the store's outbox, so a receiver that is
/// down loses nothing: each delivery is retried with exponential back-off (1 s, 2 s, 4 s, … up to
/// `maxBackoff`) until it succeeds, across restarts.
public struct EventDelivery: Sendable, Codable, Equatable {
    public struct Webhook: Sendable, Codable, Equatable {
        public var url: String
        /// The HMAC-SHA256 key of the `X-Vigil-Signature` header.
        public var secret: String
        public init(url: String, secret: String) {
            self.url = url
            self.secret = secret
        }
    }

    public var webhooks: [Webhook] = []
    public var files: [String] = []
    public var maxBackoffSeconds: Double = 300

    public init(webhooks: [Webhook] = [], files: [String] = [], maxBackoffSeconds: Double = 300) {
        self.webhooks = webhooks
        self.files = files
        self.maxBackoffSeconds = maxBackoffSeconds
    }

    enum CodingKeys: String, CodingKey { case webhooks, files, maxBackoffSeconds }

    /// Reads the configuration's `eventDelivery`: every member is optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        webhooks = try c.decodeIfPresent([Webhook].self, forKey: .webhooks) ?? []
        files = try c.decodeIfPresent([String].self, forKey: .files) ?? []
        maxBackoffSeconds = try c.decodeIfPresent(Double.self, forKey: .maxBackoffSeconds) ?? 300
        guard maxBackoffSeconds >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .maxBackoffSeconds, in: c, debugDescription: "must be at least 1")
        }
        for (index, webhook) in webhooks.enumerated() {
            guard let url = URL(string: webhook.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw DecodingError.dataCorruptedError(forKey: .webhooks, in: c, debugDescription: "webhooks[\(index)].url is not an http(s) URL")
            }
        }
    }

    public var targets: [String] { webhooks.indices.map { "webhook:\($0)" } + files.map { "file:\($0)" } }

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

    /// Attempts one outbox item; true when delivered.
    func deliver(_ item: OutboxItem) async -> Bool {
        if item.target.hasPrefix("file:") {
            let path = String(item.target.dropFirst(5))
            return Self.append(line: item.body, to: path)
        }
        if item.target.hasPrefix("export:") {
            return Self.export(event: item.body, into: String(item.target.dropFirst(7)))
        }
        guard item.target.hasPrefix("webhook:"), let index = Int(item.target.dropFirst(8)), webhooks.indices.contains(index),
              let url = URL(string: webhooks[index].url) else { return true }  // a target no longer configured: drop it
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = 10
        let timestamp = String(Int(Date().timeIntervalSince1970))
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(timestamp, forHTTPHeaderField: "X-Vigil-Timestamp")
        request.setValue(Self.signature(secret: webhooks[index].secret, timestamp: timestamp, body: item.body), forHTTPHeaderField: "X-Vigil-Signature")
        request.httpBody = Data(item.body.utf8)
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse).map { (200..<300).contains($0.statusCode) } ?? false
        } catch {
            return false
        }
    }

    /// Writes the event's finding as one JSON line under `folder`, in GuardDuty's export layout:
    /// `AWSLogs/<account>/GuardDuty/<region>/<yyyy>/<mm>/<dd>/findings.jsonl`.
    static func export(event: String, into folder: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any],
              let detail = object["detail"], let account = object["account"] as? String, let region = object["region"] as? String,
              let time = object["time"] as? String, time.count >= 10,
              let line = try? JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]) else { return true }  // malformed: drop
        let day = time.prefix(10).split(separator: "-").joined(separator: "/")
        return append(line: String(decoding: line, as: UTF8.self), to: "\(folder)/AWSLogs/\(account)/GuardDuty/\(region)/\(day)/findings.jsonl")
    }

    static func append(line: String, to path: String) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return false }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((line + "\n").utf8))
            try handle.synchronize()
            return true
        } catch {
            return false
        }
    }

    func backoff(attempts: Int) -> Double {
        min(maxBackoffSeconds, pow(2, Double(min(attempts, 30))))
    }
}
