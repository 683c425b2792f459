import VigilLogs
import VigilModel

/// Stealth:S3/ServerAccessLoggingDisabled — a successful `PutBucketLogging` whose
/// `BucketLoggingStatus` has no `LoggingEnabled`, which turns server access logging off.
public final class S3ServerAccessLoggingDisabled: CloudTrailDetector {
    public let name = "s3-server-access-logging-disabled"
    public let findingTypes = [FindingType.stealthS3ServerAccessLoggingDisabled]
    public let eventNames: Set<String>? = ["PutBucketLogging"]

    public init() {}

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard !event.errorCode.isPresent, let parameters = JSONTree(event.requestParameters),
              let bucket = parameters["bucketName"]?.stringValue,
              let status = parameters["BucketLoggingStatus"], case .object = status,
              status["LoggingEnabled"] == nil
        else { return }
        sink.report(context.observation(
            findingTypes[0], resource: context.bucketResource(bucket),
            affectedResources: ["AWS::S3::Bucket": bucket],
            title: "S3 server access logging was disabled for bucket \(bucket).",
            description: "Server access logging for the S3 bucket \(bucket) was turned off by \(context.principalDescription) \(context.originDescription). Requests to the bucket are no longer recorded.",
            identity: .init(resource: "bucket:\(bucket)", actor: context.principalKey)))
    }
}
