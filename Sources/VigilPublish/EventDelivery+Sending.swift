import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import VigilAWS
import VigilLogs
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
            return Self.export(event: item.body, into: String(item.target.dropFirst(7)), format: destinationFormat ?? .guardDuty)
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
    static func export(event: String, into folder: String, format: ExportFormat) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any],
              let account = object["account"] as? String, let region = object["region"] as? String,
              let time = object["time"] as? String, time.count >= 10,
              let line = format.destinationLine(event: event) else { return true }  // malformed: drop
        let day = time.prefix(10).split(separator: "-").joined(separator: "/")
        return append(line: line, to: "\(folder)/AWSLogs/\(account)/GuardDuty/\(region)/\(day)/findings.jsonl")
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
    /// The chain's region, read once (it may read the shared config file).
    static let awsRegion = AWSRegion.resolve()

    /// Delivers an item bound for AWS; `nil` when the target is not an AWS one. An item whose
    /// target is no longer configured, or whose event cannot be read, is dropped (delivered).
    func deliverToAWS(_ item: OutboxItem) async -> Bool? {
        let parts = item.target.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["eventbridge", "sns", "securityhub", "s3export"].contains(parts[0]) else { return nil }
        if parts[0] == "s3export" { return await exportToS3(item, place: parts[1]) }
        guard let index = Int(parts[1]) else { return true }
        guard let event = try? JSONSerialization.jsonObject(with: Data(item.body.utf8)) as? [String: Any],
              let detail = event["detail"], let region = event["region"] as? String,
              let detailText = try? JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]) else { return true }
        let defaultRegion = Self.awsRegion
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

    /// Writes the event's finding to S3 as GuardDuty exports it: one gzip JSON-lines object under
    /// `<prefix>/AWSLogs/<account>/GuardDuty/<region>/<yyyy>/<mm>/<dd>/`, encrypted with the
    /// destination's KMS key (SSE-KMS) when it names one. `place` is `bucket[/prefix]|kmsKeyArn`.
    func exportToS3(_ item: OutboxItem, place: String) async -> Bool {
        let pieces = place.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let path = pieces[0].split(separator: "/").map(String.init)
        guard let bucket = path.first, let object = try? JSONSerialization.jsonObject(with: Data(item.body.utf8)) as? [String: Any],
              let detail = object["detail"] as? [String: Any], let account = object["account"] as? String, AccountID(account) != nil,
              let region = object["region"] as? String, region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }),
              let time = object["time"] as? String, let stamp = Timestamp(iso8601: time),
              let id = detail["id"] as? String, id.allSatisfy({ $0.isLetter || $0.isNumber }),
              let line = (destinationFormat ?? .guardDuty).destinationLine(event: item.body) else { return true }  // malformed: drop
        let (year, month, day) = stamp.civilDate
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let prefix = path.dropFirst().map { $0 + "/" }.joined()
        let key = "\(prefix)AWSLogs/\(account)/GuardDuty/\(region)/\(year)/\(two(month))/\(two(day))/\(id)-\(stamp.millisecondsSinceEpoch).jsonl.gz"
        let body = (Array(line.utf8) + [0x0A]).withUnsafeBytes { GzipDeflater().compress($0) }
        var headers = ["content-type": "application/x-ndjson", "content-encoding": "gzip"]
        if pieces.count == 2, !pieces[1].isEmpty {
            headers["x-amz-server-side-encryption"] = "aws:kms"
            headers["x-amz-server-side-encryption-aws-kms-key-id"] = pieces[1]
        }
        do {
            try await S3Client(credentials: Self.awsCredentials, region: Self.awsRegion).putObject(bucket: bucket, key: key, body: body,
                                                                                                        headers: headers)
            return true
        } catch {
            Logger(label: "vigil.publish").notice("export to s3://\(bucket)/\(key) failed: \(error)")
            return false
        }
    }
}
