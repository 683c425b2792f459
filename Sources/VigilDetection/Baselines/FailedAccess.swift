import Foundation
import VigilLogs
import VigilModel

/// Failed-access patterns, which need no learning:
///
/// - `CredentialAccess:IAMUser/AnomalousBehavior` for password guessing: at least
///   ``BaselineSettings/failedLogins`` failed `ConsoleLogin`s for one user name, or from one
///   address, within ``BaselineSettings/failureWindow`` seconds;
/// - `Discovery:IAMUser/AnomalousBehavior` for permission probing: at least
///   ``BaselineSettings/deniedCalls`` calls of one principal refused (`AccessDenied`,
///   `UnauthorizedOperation`, …) within the window, over at least ``BaselineSettings/deniedAPIs``
///   distinct APIs — what enumeration tools do with a stolen key of unknown rights.
///
/// The anomaly block reports the failures against the profiled behaviour, which is none.
public final class FailedAccess: CloudTrailDetector {
    public let name = "failed-access"
    public let findingTypes = [APITactic.credentialAccess.findingType, APITactic.discovery.findingType]
    public let eventNames: Set<String>? = nil

    struct Failures {
        var count = 0
        var apis = SmallHashSet(limit: 64)
        var reported = false
    }

    private let settings: BaselineSettings
    private var logins: KeyedWindows<Failures>
    private var denied: KeyedWindows<Failures>

    public init(settings: BaselineSettings = BaselineSettings()) {
        self.settings = settings
        logins = KeyedWindows(window: settings.failureWindow, capacity: 1 << 14) { Failures() }
        denied = KeyedWindows(window: settings.failureWindow, capacity: 1 << 14) { Failures() }
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        let time = event.eventTime.secondsSinceEpoch
        if event.eventName.equals("ConsoleLogin") {
            guard event.responseElements.containsIgnoringCase("failure") || event.errorMessage.isPresent else { return }
            let user = event.userName.isPresent ? event.userName : AnomalousBehaviour.principalKey(event)
            for (key, text, actor) in [(ByteHash.fnv1a(user.bytes) ^ 0x7573, "user \(user.string ?? "unknown")", user),
                                       (ByteHash.fnv1a(event.sourceIPAddress.bytes) ^ 0x6970, "address \(event.sourceIPAddress.string ?? "unknown")", event.sourceIPAddress)] {
                let due = logins.update(key, at: time) { f -> Int? in
                    f.count += 1
                    guard f.count >= settings.failedLogins, !f.reported else { return nil }
                    f.reported = true
                    return f.count
                }
                guard let count = due else { continue }
                report(APITactic.credentialAccess, context, count: count, feature: "FAILED_CONSOLE_LOGINS",
                       title: "Repeated failed console logins for \(text).",
                       description: "\(count) console logins failed for \(text) within \(settings.failureWindow / 60) minutes (the latest \(context.originDescription) for user \(event.userName.string ?? "unknown")): someone is guessing passwords.",
                       actor: actor.string ?? "unknown", into: sink)
            }
            return
        }
        let error = event.errorCode
        guard error.count > 5, error.containsIgnoringCase("unauthorized") || error.containsIgnoringCase("accessdenied")
                || error.containsIgnoringCase("forbidden") else { return }
        let principal = AnomalousBehaviour.principalKey(event)
        let api = ByteHash.fnv1a(event.eventName.bytes)
        let due = denied.update(ByteHash.fnv1a(principal.bytes), at: time) { f -> Int? in
            f.count += 1
            _ = f.apis.insert(api)
            guard f.count >= settings.deniedCalls, f.apis.count >= settings.deniedAPIs, !f.reported else { return nil }
            f.reported = true
            return f.count
        }
        guard let count = due else { return }
        report(APITactic.discovery, context, count: count, feature: "DENIED_API_CALLS",
               title: "\(context.principalDescription.capitalizedFirst) was refused many different API calls.",
               description: "\(count) calls by \(context.principalDescription) were refused within \(settings.failureWindow / 60) minutes (the latest \(event.eventName.string ?? "an API") \(context.originDescription), \(error.string ?? "")): the credentials are being used to probe what they may do.",
               actor: event.sourceIPAddress.string ?? "unknown", into: sink)
    }

    private func report(_ tactic: APITactic, _ context: CloudTrailContext, count: Int, feature: String, title: String,
                        description: String, actor: String, into sink: FindingSink) {
        let anomaly = Anomaly(
            profiles: ["USER": [feature: [AnomalyObject(profileSubtype: ProfileFrequency.rare.rawValue, observations: Observations(text: ["0 expected"]))]]],
            unusual: AnomalyUnusual(behavior: ["USER": [feature: AnomalyObject(
                profileSubtype: ProfileFrequency.unseen.rawValue, observations: Observations(text: ["\(count) in \(settings.failureWindow / 60) minutes"]))]]))
        sink.report(context.observation(
            tactic.findingType, title: title, description: description,
            identity: .init(resource: AnomalousBehaviour.principalKey(context.event).string ?? "unknown", actor: "\(feature):\(actor)"),
            details: ["failures": "\(count)"], detection: Detection(anomaly: anomaly)))
    }
}
