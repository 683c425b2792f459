import VigilLogs
import VigilModel

/// Policy:S3/BucketAnonymousAccessGranted and Policy:S3/BucketPublicAccessGranted — a bucket
/// policy or ACL that grants access to everyone on the internet, or to every AWS user.
///
/// - ACLs (`PutBucketAcl`, `CreateBucket`): a grant to the `AllUsers` group or a `public-read`/
///   `public-read-write` canned ACL is anonymous access; a grant to `AuthenticatedUsers` or the
///   `authenticated-read` canned ACL is access for all AWS users.
/// - Policies (`PutBucketPolicy`): an `Allow` statement whose principal is `*` (or `{"AWS": "*"}`)
///   is anonymous access unless a condition limits who or where the caller is (source IP, VPC or
///   endpoint, organisation, account, principal ARN, …).
public final class S3BucketPublicAccessGranted: CloudTrailDetector {
    public let name = "s3-bucket-public-access-granted"
    public static let anonymousType = FindingType.policyS3BucketAnonymousAccessGranted
    public static let allAWSUsersType = FindingType.policyS3BucketPublicAccessGranted
    public let findingTypes = [S3BucketPublicAccessGranted.anonymousType, S3BucketPublicAccessGranted.allAWSUsersType]
    public let eventNames: Set<String>? = ["PutBucketAcl", "PutBucketPolicy", "CreateBucket"]

    /// Condition keys that restrict a `*` principal to known callers or networks.
    static let restrictingConditionKeys: Set<String> = [
        "aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:principalorgid", "aws:principalorgpaths",
        "aws:principalaccount", "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths",
        "aws:principalarn", "aws:userid", "aws:username", "aws:principalservicename", "aws:calledvia",
        "aws:sourceowner", "aws:vpcsourceip", "s3:dataaccesspointaccount", "s3:dataaccesspointarn",
    ]

    enum Exposure: Int, Comparable {
        case none = 0, allAWSUsers, anonymous
        static func < (a: Exposure, b: Exposure) -> Bool { a.rawValue < b.rawValue }
    }

    public init() {}

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard !event.errorCode.isPresent, let parameters = JSONTree(event.requestParameters),
              let bucket = parameters["bucketName"]?.stringValue else { return }
        let isPolicy = event.eventName.equals("PutBucketPolicy")
        let exposure = isPolicy ? Self.policyExposure(parameters) : Self.aclExposure(parameters)
        guard exposure != .none else { return }
        let anonymous = exposure == .anonymous
        let permissions: BucketLevelPermissions
        if isPolicy {
            permissions = BucketLevelPermissions(bucketPolicy: BucketPolicy(allowsPublicReadAccess: true, allowsPublicWriteAccess: nil))
        } else {
            let write = parameters.allStrings.contains { $0.contains("public-read-write") }
            permissions = BucketLevelPermissions(accessControlList: AccessControlList(allowsPublicReadAccess: true, allowsPublicWriteAccess: write))
        }
        let publicAccess = PublicAccess(permissionConfiguration: PermissionConfiguration(bucketLevelPermissions: permissions),
                                        effectivePermission: "PUBLIC")
        let audience = anonymous ? "anyone on the internet" : "every authenticated AWS user"
        sink.report(context.observation(
            anonymous ? Self.anonymousType : Self.allAWSUsersType,
            resource: context.bucketResource(bucket, publicAccess: publicAccess),
            affectedResources: ["AWS::S3::Bucket": bucket],
            title: "Amazon S3 bucket \(bucket) was made accessible to \(audience).",
            description: "\(context.principalDescription.capitalizedFirst) called \(event.eventName) \(context.originDescription) and gave \(audience) access to the S3 bucket \(bucket) through its \(isPolicy ? "bucket policy" : "access control list").",
            identity: .init(resource: "bucket:\(bucket)", actor: context.principalKey)))
    }

    /// How far an ACL change opens the bucket.
    static func aclExposure(_ parameters: JSONTree) -> Exposure {
        var exposure = Exposure.none
        for text in parameters.allStrings {
            let lower = text.lowercased()
            if lower.contains("acs.amazonaws.com/groups/global/allusers") || lower == "public-read" || lower == "public-read-write" {
                exposure = max(exposure, .anonymous)
            } else if lower.contains("acs.amazonaws.com/groups/global/authenticatedusers") || lower == "authenticated-read" {
                exposure = max(exposure, .allAWSUsers)
            }
        }
        return exposure
    }

    /// How far a bucket policy opens the bucket.
    static func policyExposure(_ parameters: JSONTree) -> Exposure {
        var policy = parameters["bucketPolicy"] ?? parameters["policy"]
        if let text = policy?.stringValue { policy = JSONTree(text: text) }
        guard let policy else { return .none }
        var exposure = Exposure.none
        for statement in policy["Statement"]?.items ?? [] {
            guard statement["Effect"]?.stringValue?.lowercased() == "allow",
                  let principal = statement["Principal"], isEveryone(principal) else { continue }
            if let condition = statement["Condition"], restricts(condition) { continue }
            exposure = .anonymous
        }
        return exposure
    }

    static func isEveryone(_ principal: JSONTree) -> Bool {
        if principal.stringValue == "*" { return true }
        return principal["AWS"]?.items.contains { $0.stringValue == "*" } ?? false
    }

    /// Whether a `Condition` block names any key that limits the caller.
    static func restricts(_ condition: JSONTree) -> Bool {
        guard case .object(let operators) = condition else { return false }
        for (_, clause) in operators {
            guard case .object(let keys) = clause else { continue }
            if keys.keys.contains(where: { restrictingConditionKeys.contains($0.lowercased()) }) { return true }
        }
        return false
    }
}
