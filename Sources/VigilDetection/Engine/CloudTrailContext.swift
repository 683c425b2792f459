import VigilLogs
import VigilModel

/// What detectors commonly need from a CloudTrail event, turned into model values: the account
/// and region, the credentials (`accessKeyDetails`), the API call (`awsApiCallAction`) and a key
/// for the principal. Built only for events some detector reads.
public struct CloudTrailContext {
    public let event: CloudTrailEvent
    public let source: LogSource

    public init(event: CloudTrailEvent, source: LogSource) {
        self.event = event
        self.source = source
    }

    /// The account: `recipientAccountId`, `userIdentity.accountId`, or the S3 key's account.
    public var accountId: String {
        event.account(in: source).description
    }

    /// The region: `awsRegion`, or the S3 key's region.
    public var region: String {
        event.region(in: source)
    }

    /// The credentials that made the call.
    public var accessKeyDetails: AccessKeyDetails {
        AccessKeyDetails(
            accessKeyId: event.accessKeyId.string,
            principalId: event.principalId.string,
            userName: event.principalName,
            userType: event.identityType.string)
    }

    /// A resource naming the credentials (`resourceType` `AccessKey`).
    public var accessKeyResource: Resource {
        Resource(accessKeyDetails: accessKeyDetails, resourceType: "AccessKey")
    }

    /// A key for the principal: its ARN, or the session issuer's, or the principal ID, or its type
    /// (``principalText``), else ``unknownPrincipal``.
    public var principalKey: String {
        principalText?.string ?? Self.unknownPrincipal
    }

    /// The bytes of ``principalKey``; `nil` when the event names no principal.
    public var principalText: RawText? {
        // Tested one by one: an array of the four would be allocated per call.
        if event.identityArn.isPresent { return event.identityArn }
        if event.sessionIssuerArn.isPresent { return event.sessionIssuerArn }
        if event.principalId.isPresent { return event.principalId }
        if event.identityType.isPresent { return event.identityType }
        return nil
    }

    /// ``principalKey`` of an event that names no principal.
    public static let unknownPrincipal = "unknown-principal"

    /// A key for the credentials: the access key ID, else the principal.
    public var credentialKey: String {
        event.accessKeyId.string ?? principalKey
    }

    /// The remote party, for `remoteIpDetails`, when `sourceIPAddress` is an address.
    public var remoteIpDetails: RemoteIpDetails? {
        event.sourceAddress.map { RemoteIpDetails(address: $0) }
    }

    /// GuardDuty's caller type: `Remote IP` for an address, `AWS Service` for a service name.
    public var callerType: String {
        if event.sourceAddress != nil { return "Remote IP" }
        return event.sourceIPAddress.isPresent ? "AWS Service" : "Unknown"
    }

    /// The API call as GuardDuty describes it.
    public func apiCallAction(affectedResources: [String: String]? = nil) -> Action {
        var call = AwsApiCallAction(
            api: event.eventName.string, callerType: callerType, errorCode: event.errorCode.string,
            userAgent: event.userAgent.string, remoteIpDetails: remoteIpDetails,
            serviceName: event.eventSource.string, affectedResources: affectedResources)
        if event.sourceAddress == nil, let domain = event.sourceIPAddress.string {
            call.domainDetails = DomainDetails(domain: domain)
        }
        return .apiCall(call)
    }

    /// Who did it, in words: `IAMUser alice`, `AssumedRole Admin`, `Root`.
    public var principalDescription: String {
        let type = event.identityType.string ?? "principal"
        if type == "Root" { return "the root user" }
        return "\(type) \(event.principalName ?? "unknown")"
    }

    /// `from 203.0.113.5` or `via ec2.amazonaws.com`.
    public var originDescription: String {
        guard let source = event.sourceIPAddress.string else { return "from an unknown address" }
        return event.sourceAddress != nil ? "from \(source)" : "via \(source)"
    }

    /// An observation of an API call, filled from the event: account, region, time, the access
    /// key as resource, the call as action, and the event ID and location as evidence.
    public func observation(
        _ type: FindingType, severity: Double? = nil, resource: Resource? = nil, affectedResources: [String: String]? = nil,
        title: String, description: String, identity: Observation.Identity, details: [String: String] = [:],
        detection: Detection? = nil
    ) -> Observation {
        Observation(
            type: type, severity: severity, accountId: accountId, region: region, time: event.eventTime,
            resource: resource ?? accessKeyResource, action: apiCallAction(affectedResources: affectedResources),
            resourceRole: .target, title: title, description: description, identity: identity,
            eventId: event.eventID.string, evidenceLocation: "\(source.path):\(event.location)", details: details,
            detection: detection)
    }
}
