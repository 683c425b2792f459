import VigilLogs
import VigilModel

/// Policy:S3/AccountBlockPublicAccessDisabled and Policy:S3/BucketBlockPublicAccessDisabled —
/// S3 Block Public Access turned off for an account or a bucket.
///
/// Fires on a successful `Delete…PublicAccessBlock`, or a `Put…PublicAccessBlock` that leaves any
/// of the four settings off. Only calls to S3 (`s3.amazonaws.com`, `s3-control.amazonaws.com`)
/// count. Account-level calls are S3 Control's `…AccountPublicAccessBlock`, or calls that name an
/// `accountId` and no `bucketName`.
public final class S3BlockPublicAccessDisabled: CloudTrailDetector {
    public let name = "s3-block-public-access-disabled"
    public static let accountType = FindingType.policyS3AccountBlockPublicAccessDisabled
    public static let bucketType = FindingType.policyS3BucketBlockPublicAccessDisabled
    public let findingTypes = [S3BlockPublicAccessDisabled.accountType, S3BlockPublicAccessDisabled.bucketType]
    public let eventNames: Set<String>? = [
        "PutAccountPublicAccessBlock", "DeleteAccountPublicAccessBlock",
        "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutPublicAccessBlock", "DeletePublicAccessBlock",
    ]

    public init() {}

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard !event.errorCode.isPresent,
              event.eventSource.equals("s3.amazonaws.com") || event.eventSource.equals("s3-control.amazonaws.com")
        else { return }
        let parameters = JSONTree(event.requestParameters) ?? .object([:])
        let bucket = parameters["bucketName"]?.stringValue
        let isAccount = event.eventName.hasSuffix("AccountPublicAccessBlock") || (bucket == nil && parameters["accountId"] != nil)
        guard isAccount || bucket != nil else { return }
        let isDelete = event.eventName.hasPrefix("Delete")
        let settings: BlockPublicAccess
        let disabled: [String]
        if isDelete {
            settings = BlockPublicAccess(ignorePublicAcls: false, restrictPublicBuckets: false, blockPublicAcls: false, blockPublicPolicy: false)
            disabled = BlockPublicAccessSettings.disabled(settings)
        } else {
            guard let stated = BlockPublicAccessSettings.read(parameters) else { return }
            settings = stated
            disabled = BlockPublicAccessSettings.disabled(stated)
            guard !disabled.isEmpty else { return }
        }
        let account = context.accountId
        if isAccount {
            // No bucket is named: the resource is the credentials that made the change.
            sink.report(context.observation(
                Self.accountType,
                title: "S3 Block Public Access was disabled for account \(account).",
                description: "\(context.principalDescription.capitalizedFirst) \(isDelete ? "removed" : "turned off") S3 Block Public Access for the whole account \(account) (\(disabled.joined(separator: ", ")) off) by calling \(event.eventName) \(context.originDescription).",
                identity: .init(resource: "account:\(account)", actor: context.principalKey),
                details: ["disabledSettings": disabled.joined(separator: ",")]))
        } else if let bucket {
            let publicAccess = PublicAccess(
                permissionConfiguration: PermissionConfiguration(bucketLevelPermissions: BucketLevelPermissions(blockPublicAccess: settings)),
                effectivePermission: "NOT_PUBLIC")
            sink.report(context.observation(
                Self.bucketType, resource: context.bucketResource(bucket, publicAccess: publicAccess),
                affectedResources: ["AWS::S3::Bucket": bucket],
                title: "S3 Block Public Access was disabled for bucket \(bucket).",
                description: "\(context.principalDescription.capitalizedFirst) \(isDelete ? "removed" : "turned off") S3 Block Public Access for the bucket \(bucket) (\(disabled.joined(separator: ", ")) off) by calling \(event.eventName) \(context.originDescription).",
                identity: .init(resource: "bucket:\(bucket)", actor: context.principalKey),
                details: ["disabledSettings": disabled.joined(separator: ",")]))
        }
    }
}
