import VigilGeo
import VigilLogs
import VigilModel

/// `UnauthorizedAccess:IAMUser/ResourceCredentialExfiltration.OutsideAWS` — credentials AWS
/// issued to a compute resource (a Lambda function, an ECS task, a Glue job, …; CloudTrail names
/// it in `userIdentity.inScopeOf`) used from an address outside AWS. Such credentials only ever
/// work from inside the resource, so a call from elsewhere means they were taken out of it.
///
/// "Outside AWS": a public address whose autonomous system the geolocation databases know and is
/// not Amazon's, or which they know no network for (AWS's own space is well covered). Without a
/// geolocation database the detector cannot tell, and raises nothing. Private addresses and calls
/// through AWS services are never reported.
public final class ResourceCredentialUse: CloudTrailDetector {
    public let name = "resource-credential-use"
    public static let outside = FindingType.unauthorizedAccessIAMUserResourceCredentialExfiltrationOutsideAWS
    public let findingTypes = [ResourceCredentialUse.outside]
    public let eventNames: Set<String>? = nil
    /// This detector's own reader of the shared enricher (see ``GeoFactsReader``).
    private let geo: GeoFactsReader?

    public init(geo: IPEnricher?) {
        self.geo = geo.map(GeoFactsReader.init)
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        let scope = event.credentialScopeType
        guard scope.isPresent, let geo, let address = event.sourceAddress, address.isPubliclyRoutable else { return }
        let origin = CallOrigin(event, geo: geo)
        guard origin.isAWS != true else { return }
        let resource = event.credentialsIssuedTo.string ?? "unknown"
        let kind = scope.string ?? "a resource"
        let api = event.eventName.string ?? "an API"
        sink.report(context.observation(
            Self.outside,
            title: "Credentials issued to \(resource) were used from outside AWS.",
            description: "Credentials that AWS issued to \(kind) \(resource) (role \(event.sessionIssuerUserName.string ?? "unknown")) called \(api) from \(origin.text), an address outside AWS: they have been taken out of the resource.",
            identity: .init(resource: resource, actor: "\(address)"),
            details: ["credentialsIssuedTo": resource, "issuerType": kind]))
    }
}
