import Foundation
import VigilModel

/// What a detector's caller set and GuardDuty echoes back: its data sources (as GetDetector shows
/// them, `{"s3Logs": {"status": "ENABLED"}}`), its features as given, and as an organization's
/// administrator its organization configuration. Vigil analyses CloudTrail management events, VPC
/// Flow Logs and DNS logs whatever is set here; the other sources and features (S3 data events,
/// EKS, malware protection, RDS, Lambda, runtime monitoring) are kept and shown, not analysed.
struct DetectorSettings {
    var dataSources: [String: Any] = [:]
    var features: [[String: Any]] = []
    var organization: [String: Any] = [:]
    /// Features kept at most: GuardDuty has seven, and `--test-mode` takes any name, so new names
    /// past this are dropped rather than let one caller grow its detector without bound.
    static let maximumFeatures = 32

    init() {}

    /// From the stored JSON (nothing set when absent or unreadable).
    init(text: String?) {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return }
        dataSources = object["dataSources"] as? [String: Any] ?? [:]
        features = object["features"] as? [[String: Any]] ?? []
        organization = object["organization"] as? [String: Any] ?? [:]
    }

    /// The stored JSON.
    var text: String { JSONText.write(["dataSources": dataSources, "features": features, "organization": organization]) }

    /// These settings with what a CreateDetector or UpdateDetector body sets: each data source
    /// given replaces its status, each feature given replaces the one of its name.
    func updated(with body: [String: Any]) -> DetectorSettings {
        var next = self
        if let given = body["dataSources"] as? [String: Any] {
            func status(_ value: Any?) -> [String: Any]? {
                (value as? [String: Any])?["enable"].flatMap { $0 as? Bool }.map { ["status": $0 ? "ENABLED" : "DISABLED"] }
            }
            if let s3 = status(given["s3Logs"]) { next.dataSources["s3Logs"] = s3 }
            if let audit = status((given["kubernetes"] as? [String: Any])?["auditLogs"]) { next.dataSources["kubernetes"] = ["auditLogs": audit] }
            let malware = (given["malwareProtection"] as? [String: Any])?["scanEc2InstanceWithFindings"] as? [String: Any]
            if let ebs = malware?["ebsVolumes"] as? Bool {
                next.dataSources["malwareProtection"] = ["scanEc2InstanceWithFindings": ["ebsVolumes": ["status": ebs ? "ENABLED" : "DISABLED"]]]
            }
        }
        if let given = body["features"] as? [[String: Any]] {
            for feature in given {
                let name = feature["name"] as? String
                if let index = next.features.firstIndex(where: { ($0["name"] as? String) == name }) {
                    next.features[index] = feature
                } else if next.features.count < Self.maximumFeatures {
                    next.features.append(feature)
                }
            }
        }
        return next
    }
}
