import Foundation
import VigilModel

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

    /// Seconds to wait before the next attempt after `attempts` failed ones: 1, 2, 4, … up to `maxBackoffSeconds`.
    public func backoff(attempts: Int) -> Double {
        min(maxBackoffSeconds, pow(2, Double(min(attempts, 30))))
    }
}
