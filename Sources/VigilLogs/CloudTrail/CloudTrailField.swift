/// The CloudTrail fields Vigil reads, indexed as the C parser (`vj_ct_field` in `vigil_json.h`)
/// lays them out; a test reads an event holding every ``path`` and checks each field finds its own.
public enum CloudTrailField: Int, CaseIterable, Sendable {
    case eventVersion = 0, eventTime, eventSource, eventName, awsRegion, sourceIPAddress, userAgent,
         errorCode, errorMessage, requestID, eventID, eventType, recipientAccountId, readOnly,
         managementEvent, eventCategory, vpcEndpointId, sharedEventID, requestParameters,
         responseElements, additionalEventData, resources,
         identityType, principalId, identityArn, identityAccountId, accessKeyId, userName, invokedBy,
         sessionIssuerType, sessionIssuerPrincipalId, sessionIssuerArn, sessionIssuerAccountId,
         sessionIssuerUserName, mfaAuthenticated, sessionCreationDate, sourceIdentity, ec2RoleDelivery,
         assumedRoot, scopeIssuerType, scopeIssuedTo

    /// The field's dotted path in a CloudTrail record (`userIdentity.sessionContext.sessionIssuer.arn`).
    public var path: String {
        switch self {
        case .eventVersion, .eventTime, .eventSource, .eventName, .awsRegion, .sourceIPAddress, .userAgent, .errorCode,
             .errorMessage, .requestID, .eventID, .eventType, .recipientAccountId, .readOnly, .managementEvent, .eventCategory,
             .vpcEndpointId, .sharedEventID, .requestParameters, .responseElements, .additionalEventData, .resources:
            "\(self)"
        case .identityType: "userIdentity.type"
        case .principalId: "userIdentity.principalId"
        case .identityArn: "userIdentity.arn"
        case .identityAccountId: "userIdentity.accountId"
        case .accessKeyId: "userIdentity.accessKeyId"
        case .userName: "userIdentity.userName"
        case .invokedBy: "userIdentity.invokedBy"
        case .sessionIssuerType: "userIdentity.sessionContext.sessionIssuer.type"
        case .sessionIssuerPrincipalId: "userIdentity.sessionContext.sessionIssuer.principalId"
        case .sessionIssuerArn: "userIdentity.sessionContext.sessionIssuer.arn"
        case .sessionIssuerAccountId: "userIdentity.sessionContext.sessionIssuer.accountId"
        case .sessionIssuerUserName: "userIdentity.sessionContext.sessionIssuer.userName"
        case .mfaAuthenticated: "userIdentity.sessionContext.attributes.mfaAuthenticated"
        case .sessionCreationDate: "userIdentity.sessionContext.attributes.creationDate"
        case .sourceIdentity: "userIdentity.sessionContext.sourceIdentity"
        case .ec2RoleDelivery: "userIdentity.sessionContext.ec2RoleDelivery"
        case .assumedRoot: "userIdentity.sessionContext.assumedRoot"
        case .scopeIssuerType: "userIdentity.inScopeOf.issuerType"
        case .scopeIssuedTo: "userIdentity.inScopeOf.credentialsIssuedTo"
        }
    }

    /// Whether the field holds JSON text (an object or array) rather than a string.
    public var isRawJSON: Bool {
        switch self {
        case .requestParameters, .responseElements, .additionalEventData, .resources: true
        default: false
        }
    }
}
