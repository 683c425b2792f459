import VigilLogs
import VigilModel

/// DefenseEvasion:IAMUser/BedrockLoggingDisabled — Amazon Bedrock's model invocation logging
/// was turned off for the account and region (`DeleteModelInvocationLoggingConfiguration`), so
/// prompts and responses are no longer recorded. Failed calls do not fire.
public final class BedrockLoggingDisabled: CloudTrailDetector {
    public let name = "bedrock-logging-disabled"
    public let findingTypes = [FindingType.defenseEvasionIAMUserBedrockLoggingDisabled]
    public let eventNames: Set<String>? = ["DeleteModelInvocationLoggingConfiguration"]

    public init() {}

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard !event.errorCode.isPresent, event.eventSource.equals("bedrock.amazonaws.com") else { return }
        sink.report(context.observation(
            findingTypes[0],
            title: "Amazon Bedrock model invocation logging was disabled in \(context.region).",
            description: "\(context.principalDescription.capitalizedFirst) deleted the model invocation logging configuration of account \(context.accountId) in \(context.region) \(context.originDescription): Bedrock prompts and responses there are no longer logged.",
            identity: .init(resource: "bedrock-logging:\(context.region)", actor: context.principalKey)))
    }
}
