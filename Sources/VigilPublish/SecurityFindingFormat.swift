import Foundation
import VigilModel

/// A finding in the AWS Security Finding Format (ASFF, schema `2018-10-08`), as Security Hub
/// imports it from a custom integration: the account's `default` product, the GuardDuty type as
/// generator and classifier under the ASFF type namespace its threat purpose belongs to, the
/// severity label GuardDuty's level maps to, and the affected resource.
public enum SecurityFindingFormat {
    public static func finding(_ f: Finding) -> [String: Any] {
        let account = f.accountId, region = f.region, partition = f.partition ?? "aws"
        var object: [String: Any] = [
            "SchemaVersion": "2018-10-08",
            "Id": f.arn,
            "ProductArn": "arn:\(partition):securityhub:\(region):\(account):product/\(account)/default",
            "GeneratorId": "vigil/\(f.type)",
            "AwsAccountId": account,
            "Types": ["\(namespace(of: f.type))/\(f.type.replacingOccurrences(of: "/", with: "-"))"],
            "CreatedAt": f.createdAt,
            "UpdatedAt": f.updatedAt,
            "Severity": ["Label": label(f.severity), "Original": String(f.severity)],
            "Title": String((f.title ?? f.type).prefix(256)),
            "Description": String((f.description ?? f.title ?? f.type).prefix(1024)),
            "Resources": [resource(f, partition: partition)],
            "ProductFields": ["vigil/type": f.type, "vigil/count": String(f.service?.count ?? 1), "vigil/detectorId": f.service?.detectorId ?? ""],
            "RecordState": f.service?.archived == true ? "ARCHIVED" : "ACTIVE",
        ]
        if let first = f.service?.eventFirstSeen { object["FirstObservedAt"] = first }
        if let last = f.service?.eventLastSeen { object["LastObservedAt"] = last }
        return object
    }

    /// GuardDuty's severity as Security Hub labels it: 7–8.9 HIGH (9 and above CRITICAL), 4–6.9
    /// MEDIUM, 1–3.9 LOW.
    static func label(_ severity: Double) -> String {
        switch severity {
        case 9...: "CRITICAL"
        case 7..<9: "HIGH"
        case 4..<7: "MEDIUM"
        case 1..<4: "LOW"
        default: "INFORMATIONAL"
        }
    }

    /// The ASFF `namespace/category` of a finding type, by its threat purpose (`Recon:EC2/Portscan` → `TTPs/Discovery`).
    static func namespace(of type: String) -> String {
        let purpose = type.prefix { $0 != ":" }
        switch purpose {
        case "Backdoor", "Trojan": return "TTPs/Command and Control"
        case "Behavior": return "Unusual Behaviors/\(type.contains(":EC2/") ? "VM" : "User")"
        case "CryptoCurrency": return "Effects/Resource Consumption"
        case "CredentialAccess": return "TTPs/Credential Access"
        case "DefenseEvasion", "Stealth": return "TTPs/Defense Evasion"
        case "Discovery", "Recon", "PenTest": return "TTPs/Discovery"
        case "Execution": return "TTPs/Execution"
        case "Exfiltration": return "Effects/Data Exfiltration"
        case "Impact": return "Effects/Denial of Service"
        case "InitialAccess", "UnauthorizedAccess": return "TTPs/Initial Access"
        case "Persistence": return "TTPs/Persistence"
        case "Policy": return "Software and Configuration Checks/AWS Security Best Practices"
        case "PrivilegeEscalation": return "TTPs/Privilege Escalation"
        default: return "Unusual Behaviors/Application"
        }
    }

    private static func resource(_ f: Finding, partition: String) -> [String: Any] {
        let base: [String: Any] = ["Partition": partition, "Region": f.region]
        if let key = f.resource.accessKeyDetails, let id = key.accessKeyId, !id.isEmpty {
            var details: [String: Any] = ["UserName": key.userName ?? "", "PrincipalId": key.principalId ?? ""]
            details["Status"] = "Active"
            return base.merging(["Type": "AwsIamAccessKey", "Id": id, "Details": ["AwsIamAccessKey": details]]) { $1 }
        }
        if let instance = f.resource.instanceDetails?.instanceId, !instance.isEmpty {
            return base.merging(["Type": "AwsEc2Instance", "Id": "arn:\(partition):ec2:\(f.region):\(f.accountId):instance/\(instance)"]) { $1 }
        }
        if let bucket = f.resource.s3BucketDetails?.first?.name, !bucket.isEmpty {
            return base.merging(["Type": "AwsS3Bucket", "Id": "arn:\(partition):s3:::\(bucket)"]) { $1 }
        }
        return base.merging(["Type": "Other", "Id": f.arn]) { $1 }
    }
}
