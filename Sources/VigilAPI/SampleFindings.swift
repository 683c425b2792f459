import Foundation
import VigilModel

/// Sample findings, one per requested type, marked as samples (`"sample": true` in
/// `service.additionalInfo`, `[SAMPLE]` in the title), as GuardDuty's CreateSampleFindings makes them.
public enum SampleFindings {
    public static func make(types: [FindingType], accountId: String, region: String, detectorId: String, now: Date) -> [Finding] {
        let stamp = Timestamp(millisecondsSinceEpoch: Int64(now.timeIntervalSince1970 * 1000)).iso8601
        return types.compactMap { type in
            guard let info = type.info else { return nil }
            let id = StableIdentifier.hex(["sample", accountId, region, type.name])
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
