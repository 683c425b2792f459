import VigilLogs
import VigilModel

/// Stealth:IAMUser/CloudTrailLoggingDisabled — a trail stopped, deleted, or changed so that it no
/// longer records management events.
///
/// Fires on successful `StopLogging` and `DeleteTrail`, and on `PutEventSelectors` whose selectors
/// leave out management events (basic selectors with `includeManagementEvents: false` everywhere,
/// or advanced selectors none of which selects the `Management` category). Failed calls do not fire.
public final class CloudTrailLoggingDisabled: CloudTrailDetector {
    public let name = "cloudtrail-logging-disabled"
    public let findingTypes = [FindingType.stealthIAMUserCloudTrailLoggingDisabled]
    public let eventNames: Set<String>? = ["StopLogging", "DeleteTrail", "PutEventSelectors"]

    public init() {}

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard !event.errorCode.isPresent, event.eventSource.isPresent ? event.eventSource.equals("cloudtrail.amazonaws.com") : true
        else { return }
        let parameters = JSONTree(event.requestParameters)
        let trail = parameters?["name"]?.stringValue ?? parameters?["trailName"]?.stringValue ?? "unknown"
        let what: String
        if event.eventName.equals("PutEventSelectors") {
            guard let parameters, Self.excludesManagementEvents(parameters) else { return }
            what = "changed to stop recording management events"
        } else if event.eventName.equals("StopLogging") {
            what = "stopped"
        } else {
            what = "deleted"
        }
        let trailName = trail.split(separator: "/").last.map(String.init) ?? trail
        sink.report(context.observation(
            findingTypes[0],
            affectedResources: ["AWS::CloudTrail::Trail": trail],
            title: "AWS CloudTrail trail \(trailName) was disabled.",
            description: "The CloudTrail trail \(trail) was \(what) by \(context.principalDescription) calling \(event.eventName) \(context.originDescription). Activity in the account may now go unrecorded.",
            identity: .init(resource: "trail:\(trail)", actor: context.principalKey)))
    }

    /// Whether event selectors leave out every management event.
    static func excludesManagementEvents(_ parameters: JSONTree) -> Bool {
        if let advanced = parameters["advancedEventSelectors"]?.items, !advanced.isEmpty {
            let selectsManagement = advanced.contains { selector in
                selector["fieldSelectors"]?.items.contains { field in
                    field["field"]?.stringValue == "eventCategory"
                        && (field["equals"]?.items.contains { $0.stringValue == "Management" } ?? false)
                } ?? false
            }
            return !selectsManagement
        }
        guard let basic = parameters["eventSelectors"]?.items, !basic.isEmpty else { return false }
        return basic.allSatisfy { $0["includeManagementEvents"]?.boolValue == false }
    }
}
