import Foundation
import VigilAWS
import VigilModel

/// Where findings are pushed, as EventBridge events: webhooks (each request signed so receivers
/// can verify it), JSON-lines files, and AWS: an EventBridge bus (PutEvents), an SNS topic
/// (Publish) and Security Hub (BatchImportFindings, in ASFF). Events go through the store's outbox,
/// so a receiver that is down loses nothing: each delivery is retried with exponential back-off
/// (1 s, 2 s, 4 s, … up to `maxBackoff`) until it succeeds, across restarts.
public struct EventDelivery: Sendable, Codable, Equatable {
    public struct Webhook: Sendable, Codable, Equatable {
        public var url: String
        /// The HMAC-SHA256 key of the `X-Vigil-Signature` header.
        public var secret: String
        /// What each request's body holds (default: the GuardDuty Finding event).
        public var format: ExportFormat?
        public init(url: String, secret: String, format: ExportFormat? = nil) {
            self.url = url
            self.secret = secret
            self.format = format
        }
    }

    /// A `files` entry: a path, or `{"path": …, "format": "ocsf"}`.
    struct FileEntry: Decodable {
        var path: String
        var format: ExportFormat?
        init(from decoder: any Decoder) throws {
            if let path = try? decoder.singleValueContainer().decode(String.self) {
                self.path = path
                return
            }
            let c = try decoder.container(keyedBy: Key.self)
            path = try c.decode(String.self, forKey: .path)
            format = try c.decodeIfPresent(ExportFormat.self, forKey: .format)
        }
        enum Key: String, CodingKey { case path, format }
    }

    /// An EventBridge bus: each finding a "GuardDuty Finding" event of source `vigil.guardduty`
    /// (sources starting with `aws.` are AWS's own).
    public struct EventBridgeTarget: Sendable, Codable, Equatable {
        public var eventBusName: String
        /// Default: the standard chain's region.
        public var region: String?
        public init(eventBusName: String = "default", region: String? = nil) {
            self.eventBusName = eventBusName
            self.region = region
        }
    }

    /// An SNS topic: each finding's event as the message.
    public struct SNSTarget: Sendable, Codable, Equatable {
        public var topicArn: String
        public init(topicArn: String) { self.topicArn = topicArn }
    }

    /// Security Hub, in the finding's region (or `region`): each finding imported in ASFF.
    public struct SecurityHubTarget: Sendable, Codable, Equatable {
        public var region: String?
        public init(region: String? = nil) { self.region = region }
    }

    public var webhooks: [Webhook] = []
    public var files: [String] = []
    /// The format of each file not written in GuardDuty's event form, by path.
    public var fileFormats: [String: ExportFormat] = [:]
    public var eventBridge: [EventBridgeTarget] = []
    public var sns: [SNSTarget] = []
    public var securityHub: [SecurityHubTarget] = []
    public var maxBackoffSeconds: Double = 300
    /// The format publishing destinations (their folders and S3 objects) are written in: GuardDuty's
    /// finding JSON (the default), ASFF or OCSF.
    public var destinationFormat: ExportFormat?

    public init(webhooks: [Webhook] = [], files: [String] = [], eventBridge: [EventBridgeTarget] = [], sns: [SNSTarget] = [],
                securityHub: [SecurityHubTarget] = [], maxBackoffSeconds: Double = 300) {
        self.webhooks = webhooks
        self.files = files
        self.eventBridge = eventBridge
        self.sns = sns
        self.securityHub = securityHub
        self.maxBackoffSeconds = maxBackoffSeconds
    }

    enum CodingKeys: String, CodingKey { case webhooks, files, fileFormats, eventBridge, sns, securityHub, maxBackoffSeconds, destinationFormat }

    /// Reads the configuration's `eventDelivery`: every member is optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        webhooks = try c.decodeIfPresent([Webhook].self, forKey: .webhooks) ?? []
        let entries = try c.decodeIfPresent([FileEntry].self, forKey: .files) ?? []
        files = entries.map(\.path)
        fileFormats = Dictionary(entries.compactMap { entry in entry.format.map { (entry.path, $0) } }) { _, last in last }
        fileFormats.merge(try c.decodeIfPresent([String: ExportFormat].self, forKey: .fileFormats) ?? [:]) { $1 }
        eventBridge = try c.decodeIfPresent([EventBridgeTarget].self, forKey: .eventBridge) ?? []
        sns = try c.decodeIfPresent([SNSTarget].self, forKey: .sns) ?? []
        securityHub = try c.decodeIfPresent([SecurityHubTarget].self, forKey: .securityHub) ?? []
        for (index, target) in sns.enumerated() where SNSClient.region(ofTopic: target.topicArn) == nil {
            throw DecodingError.dataCorruptedError(forKey: .sns, in: c, debugDescription: "sns[\(index)].topicArn is not an SNS topic ARN")
        }
        for (index, target) in eventBridge.enumerated() where target.eventBusName.isEmpty || target.eventBusName.count > 1600 {
            throw DecodingError.dataCorruptedError(forKey: .eventBridge, in: c, debugDescription: "eventBridge[\(index)].eventBusName is not a bus name or ARN")
        }
        maxBackoffSeconds = try c.decodeIfPresent(Double.self, forKey: .maxBackoffSeconds) ?? 300
        destinationFormat = try c.decodeIfPresent(ExportFormat.self, forKey: .destinationFormat)
        guard maxBackoffSeconds >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .maxBackoffSeconds, in: c, debugDescription: "must be at least 1")
        }
        for (index, webhook) in webhooks.enumerated() {
            guard let url = URL(string: webhook.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw DecodingError.dataCorruptedError(forKey: .webhooks, in: c, debugDescription: "webhooks[\(index)].url is not an http(s) URL")
            }
        }
    }

    public var targets: [String] {
        webhooks.indices.map { "webhook:\($0)" } + files.map { "file:\($0)" } + eventBridge.indices.map { "eventbridge:\($0)" }
            + sns.indices.map { "sns:\($0)" } + securityHub.indices.map { "securityhub:\($0)" }
    }

    /// Seconds to wait before the next attempt after `attempts` failed ones: 1, 2, 4, … up to `maxBackoffSeconds`.
    public func backoff(attempts: Int) -> Double {
        min(maxBackoffSeconds, pow(2, Double(min(attempts, 30))))
    }
}
