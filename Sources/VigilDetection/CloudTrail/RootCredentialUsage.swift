import VigilLogs
import VigilModel

/// Policy:IAMUser/RootCredentialUsage — an API called with the root user's credentials — and
/// Policy:IAMUser/ShortTermRootCredentialUsage — one called with the restricted, short-term root
/// credentials `sts:AssumeRoot` gives an organisation's management account for a privileged task
/// on a member account (`userIdentity.sessionContext.assumedRoot: "true"`).
///
/// Every event whose `userIdentity.type` is `Root`, except calls AWS makes on the root user's
/// behalf (`invokedBy` set, `AwsServiceEvent`, source `AWS Internal`) and failed console sign-ins
/// (those are failed-login activity, not use of the credentials). Repeats aggregate per account
/// and calling address into one finding with a rising count.
public final class RootCredentialUsage: CloudTrailDetector {
    public let name = "root-credential-usage"
    public static let root = FindingType.policyIAMUserRootCredentialUsage
    public static let shortTerm = FindingType.policyIAMUserShortTermRootCredentialUsage
    public let findingTypes = [RootCredentialUsage.root, RootCredentialUsage.shortTerm]
    public let eventNames: Set<String>? = nil

    public init() {}

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard event.identityType.equals("Root"), !event.invokedBy.isPresent,
              !event.eventType.equals("AwsServiceEvent"), !event.sourceIPAddress.equals("AWS Internal")
        else { return }
        if event.eventName.equals("ConsoleLogin") && (event.errorMessage.isPresent || event.responseElements.containsIgnoringCase("failure")) {
            return
        }
        let account = context.accountId
        let api = event.eventName.string ?? "an API"
        if event.isAssumedRoot {
            sink.report(context.observation(
                Self.shortTerm,
                title: "API \(api) was invoked using short-term root credentials.",
                description: "Restricted root credentials of account \(account), issued by sts:AssumeRoot for a privileged task, called \(api) (\(event.eventSource.string ?? "unknown service")) \(context.originDescription). Check that the task was intended.",
                identity: .init(resource: "root:\(account)", actor: event.accessKeyId.string ?? event.sourceIPAddress.string ?? "unknown")))
            return
        }
        sink.report(context.observation(
            Self.root,
            title: "API \(api) was invoked using root credentials.",
            description: "The root user of account \(account) called \(api) (\(event.eventSource.string ?? "unknown service")) \(context.originDescription). Root credentials should not be used for everyday tasks.",
            identity: .init(resource: "root:\(account)", actor: event.sourceIPAddress.string ?? "unknown")))
    }
}
