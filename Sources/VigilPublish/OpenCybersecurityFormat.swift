import Foundation
import VigilModel

/// A finding as an OCSF 1.1 Detection Finding (class 2004 of the Findings category), what Amazon
/// Security Lake and most SIEMs ingest: the base event's required attributes (`activity_id`,
/// `category_uid`, `class_uid`, `type_uid`, `severity_id`, `time`, `metadata` with its `product`
/// and `version`), the finding's (`finding_info` with `uid` and `title`), and the cloud account,
/// region and affected resource.
public enum OpenCybersecurityFormat {
    public static let schemaVersion = "1.1.0"
    static let classUID = 2004
    static let categoryUID = 2

    public static func detectionFinding(_ f: Finding) -> [String: Any] {
        // A finding seen more than once is an update of the one first created.
        let activity = (f.service?.count ?? 1) > 1 ? 2 : 1
        let (severityID, severityName) = severity(f.severity)
        var info: [String: Any] = [
            "uid": f.id, "title": f.title ?? f.type, "types": [f.type],
            "created_time": milliseconds(f.createdAt) as Any, "modified_time": milliseconds(f.updatedAt) as Any,
        ]
        if let description = f.description { info["desc"] = description }
        if let first = f.service?.eventFirstSeen.flatMap(milliseconds) { info["first_seen_time"] = first }
        if let last = f.service?.eventLastSeen.flatMap(milliseconds) { info["last_seen_time"] = last }
        info["analytic"] = ["name": f.type, "type_id": 1, "type": "Rule", "uid": f.type]
        var object: [String: Any] = [
            "activity_id": activity, "activity_name": activity == 1 ? "Create" : "Update",
            "category_uid": categoryUID, "category_name": "Findings",
            "class_uid": classUID, "class_name": "Detection Finding",
            "type_uid": classUID * 100 + activity, "type_name": "Detection Finding: \(activity == 1 ? "Create" : "Update")",
            "severity_id": severityID, "severity": severityName,
            "time": milliseconds(f.updatedAt) ?? 0,
            "status_id": f.service?.archived == true ? 5 : 1, "status": f.service?.archived == true ? "Archived" : "New",
            "is_alert": f.service?.archived != true,
            "finding_info": info,
            "metadata": [
                "version": schemaVersion, "uid": f.arn, "event_code": f.type,
                "product": ["name": "Vigil", "vendor_name": "Vigil", "feature": ["name": "GuardDuty-compatible threat detection"]],
            ],
            "cloud": ["provider": "AWS", "region": f.region, "account": ["uid": f.accountId, "type": "AWS Account", "type_id": 10]],
            "resources": [resource(f)],
            "unmapped": ["guardduty": ["arn": f.arn, "count": f.service?.count ?? 1, "detectorId": f.service?.detectorId ?? "",
                                       "severity": f.severity]],
        ]
        if let first = f.service?.eventFirstSeen.flatMap(milliseconds) { object["start_time"] = first }
        if let last = f.service?.eventLastSeen.flatMap(milliseconds) { object["end_time"] = last }
        return object
    }

    /// GuardDuty's severity as OCSF's `severity_id` (1 Informational, 2 Low, 3 Medium, 4 High,
    /// 5 Critical), by the same bands as Security Hub's labels (``SecurityFindingFormat/label(_:)``).
    static func severity(_ value: Double) -> (Int, String) {
        switch SecurityFindingFormat.label(value) {
        case "CRITICAL": (5, "Critical")
        case "HIGH": (4, "High")
        case "MEDIUM": (3, "Medium")
        case "LOW": (2, "Low")
        default: (1, "Informational")
        }
    }

    private static func milliseconds(_ text: String) -> Int64? { Timestamp(iso8601: text)?.millisecondsSinceEpoch }

    private static func resource(_ f: Finding) -> [String: Any] {
        var out: [String: Any] = ["cloud_partition": f.partition ?? "aws", "region": f.region, "owner": ["account": ["uid": f.accountId]]]
        if let key = f.resource.accessKeyDetails, let id = key.accessKeyId, !id.isEmpty {
            out["type"] = "AwsIamAccessKey"
            out["uid"] = id
            if let name = key.userName { out["name"] = name }
        } else if let instance = f.resource.instanceDetails?.instanceId, !instance.isEmpty {
            out["type"] = "AwsEc2Instance"
            out["uid"] = instance
        } else if let bucket = f.resource.s3BucketDetails?.first?.name, !bucket.isEmpty {
            out["type"] = "AwsS3Bucket"
            out["uid"] = "arn:\(f.partition ?? "aws"):s3:::\(bucket)"
            out["name"] = bucket
        } else {
            out["type"] = f.resource.resourceType ?? "Other"
            out["uid"] = f.arn
        }
        return out
    }
}
