import Foundation
import VigilDetection
import VigilModel
import VigilStore

/// Suppression rules: a detector's filters with action `ARCHIVE`, applied to findings as they
/// arrive. As in GuardDuty, the rules of a finding's own detector apply to it, and those of its
/// account's enabled administrator (in the same region) — never another account's.
public enum Suppression {
    /// Archives the findings the rules match; returns their IDs.
    @discardableResult
    public static func apply(to findings: [Finding], store: any FindingStore) throws -> [String] {
        let ids = try matching(findings, store: store)
        for (account, group) in Dictionary(grouping: findings.filter { ids.contains($0.id) }, by: \.accountId) {
            try store.setArchived(true, ids: group.map(\.id), accountId: account)
        }
        return findings.map(\.id).filter { ids.contains($0) }
    }

    /// The IDs of the findings a suppression rule of their detector matches.
    public static func matching(_ findings: [Finding], store: any FindingStore) throws -> Set<String> {
        var archived: Set<String> = []
        let groups = Dictionary(grouping: findings) { "\($0.accountId)\u{0}\($0.region)" }
        for (_, group) in groups {
            guard let first = group.first else { continue }
            let administrators = try store.memberships(member: first.accountId).filter { $0.status == "Enabled" }.map(\.administrator)
            var rules: [FilterRecord] = []
            for account in [first.accountId] + administrators {
                let detectorId = FindingAggregator.detectorId(accountId: account, region: first.region)
                rules += try store.filters(detectorId: detectorId).filter { $0.action == "ARCHIVE" }
            }
            guard !rules.isEmpty else { continue }
            let criteria = rules.compactMap { rule in
                (try? JSONSerialization.jsonObject(with: Data(rule.criteria.utf8))).flatMap { try? FindingCriteria(json: $0) }
            }
            let ids = group.filter { finding in
                let tree = GuardDutyAPI.tree(finding)
                return criteria.contains { $0.matches(tree) }
            }.map(\.id)
            archived.formUnion(ids)
        }
        return archived
    }
}

/// Sample findings, one per requested type, marked as samples (`"sample": true` in
/// `service.additionalInfo`, `[SAMPLE]` in the title), as GuardDuty's CreateSampleFindings makes them.
public enum SampleFindings {
    public static func make(types: [FindingType], accountId: String, region: String, detectorId: String, now: Date) -> [Finding] {
        let stamp = Timestamp(millisecondsSinceEpoch: Int64(now.timeIntervalSince1970 * 1000)).iso8601
        return types.compactMap { type in
            guard let info = type.info else { return nil }
            let id = FindingAggregator.hexDigest(["sample", accountId, region, type.name])
            let resource: Resource
            switch info.resourceType {
            case "Instance":
                resource = Resource(instanceDetails: InstanceDetails(
                    availabilityZone: "\(region)a", imageId: "ami-99999999", instanceId: "i-99999999", instanceState: "running",
                    instanceType: "m3.xlarge", networkInterfaces: [NetworkInterface(networkInterfaceId: "eni-bfcffe88", privateIpAddress: "10.0.0.1",
                                                                                   subnetId: "subnet-99999999", vpcId: "vpc-99999999")],
                    tags: [Tag(key: "GeneratedFindingInstaceTag1", value: "GeneratedFindingInstaceValue1")]), resourceType: "Instance")
            case "S3Bucket":
                resource = Resource(accessKeyDetails: AccessKeyDetails(accessKeyId: "GeneratedFindingAccessKeyId", principalId: "GeneratedFindingPrincipalId",
                                                                       userName: "GeneratedFindingUserName", userType: "IAMUser"),
                                    s3BucketDetails: [S3BucketDetail(arn: "arn:aws:s3:::bucketName", name: "bucketName", type: "Destination")],
                                    resourceType: "S3Bucket")
            default:
                resource = Resource(accessKeyDetails: AccessKeyDetails(accessKeyId: "GeneratedFindingAccessKeyId", principalId: "GeneratedFindingPrincipalId",
                                                                       userName: "GeneratedFindingUserName", userType: "IAMUser"), resourceType: "AccessKey")
            }
            let service = Service(archived: false, count: 1, detectorId: detectorId, eventFirstSeen: stamp, eventLastSeen: stamp,
                                  resourceRole: "TARGET", serviceName: "guardduty",
                                  additionalInfo: ServiceAdditionalInfo(value: #"{"sample":true}"#, type: "default"))
            return Finding(accountId: accountId, arn: Finding.arn(partition: "aws", region: region, accountId: accountId, detectorId: detectorId, findingId: id),
                           createdAt: stamp, description: info.summary, id: id, partition: "aws", region: region, resource: resource,
                           service: service, severity: info.defaultSeverity, title: "[SAMPLE] \(info.summary)", type: type.name, updatedAt: stamp)
        }
    }
}
