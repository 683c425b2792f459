import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import VigilAWS
import VigilModel
import VigilStore

extension EventDelivery {
    /// Attempts one outbox item; true when delivered.
    public func deliver(_ item: OutboxItem, now: Date) async -> Bool {
        if item.target.hasPrefix("file:") {
            let path = String(item.target.dropFirst(5))
            // An event that cannot be rendered in the file's format is dropped (delivered).
            guard let line = (fileFormats[path] ?? .guardDuty).render(event: item.body) else { return true }
            return Self.append(line: line, to: path)
        }
        if item.target.hasPrefix("export:") {
            return Self.export(event: item.body, into: String(item.target.dropFirst(7)))
        }
        if let aws = await deliverToAWS(item) { return aws }
        guard item.target.hasPrefix("webhook:"), let index = Int(item.target.dropFirst(8)), webhooks.indices.contains(index),
              let url = URL(string: webhooks[index].url) else { return true }  // a target no longer configured: drop it
        guard let body = (webhooks[index].format ?? .guardDuty).render(event: item.body) else { return true }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = 10
        let timestamp = String(Int(now.timeIntervalSince1970))
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(timestamp, forHTTPHeaderField: "X-Vigil-Timestamp")
        request.setValue(Self.signature(secret: webhooks[index].secret, timestamp: timestamp, body: body), forHTTPHeaderField: "X-Vigil-Signature")
        request.httpBody = Data(body.utf8)
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

    /// The process's AWS identity for delivery (the standard chain), made on first use.
    static let awsCredentials = CredentialChain()

    /// Delivers an item bound for AWS; `nil` when the target is not an AWS one. An item whose
    /// target is no longer configured, or whose event cannot be read, is dropped (delivered).
    func deliverToAWS(_ item: OutboxItem) async -> Bool? {
        let parts = item.target.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["eventbridge", "sns", "securityhub"].contains(parts[0]) else { return nil }
        guard let index = Int(parts[1]) else { return true }
        guard let event = try? JSONSerialization.jsonObject(with: Data(item.body.utf8)) as? [String: Any],
              let detail = event["detail"], let region = event["region"] as? String,
              let detailText = try? JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]) else { return true }
        let defaultRegion = AWSRegion.resolve()
        do {
            switch parts[0] {
            case "eventbridge":
                guard eventBridge.indices.contains(index) else { return true }
                let target = eventBridge[index]
                try await EventBridgeClient(credentials: Self.awsCredentials, region: target.region ?? defaultRegion)
                    .putEvent(bus: target.eventBusName, source: "vigil.guardduty", detailType: "GuardDuty Finding",
                              detail: String(decoding: detailText, as: UTF8.self), resources: event["resources"] as? [String] ?? [])
            case "sns":
                guard sns.indices.contains(index) else { return true }
                let topic = sns[index].topicArn
                try await SNSClient(credentials: Self.awsCredentials, region: SNSClient.region(ofTopic: topic) ?? defaultRegion)
                    .publish(topic: topic, message: item.body, subject: "GuardDuty Finding")
            default:
                guard securityHub.indices.contains(index) else { return true }
                guard let finding = try? JSONDecoder().decode(Finding.self, from: detailText) else { return true }
                try await SecurityHubClient(credentials: Self.awsCredentials, region: securityHub[index].region ?? region)
                    .importFindings([SecurityFindingFormat.finding(finding)])
            }
            return true
        } catch {
            Logger(label: "vigil.publish").notice("delivery to \(item.target) failed: \(error)")
            return false
        }
    }
}
