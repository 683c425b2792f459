import VigilModel

/// One CloudTrail event, as views of its fields in the log buffer.
///
/// Valid only during the callback that hands it out: copy what you keep with `RawText.string`.
/// String fields are unescaped; `requestParameters`, `responseElements`, `additionalEventData` and
/// `resources` are the JSON text of the value.
public struct CloudTrailEvent: @unchecked Sendable {
    @usableFromInline let fields: UnsafePointer<RawText>
    /// The event's `eventTime`.
    public let eventTime: Timestamp
    public let location: RecordLocation

    @inlinable
    init(fields: UnsafePointer<RawText>, eventTime: Timestamp, location: RecordLocation) {
        self.fields = fields
        self.eventTime = eventTime
        self.location = location
    }

    @inlinable public subscript(field: CloudTrailField) -> RawText { fields[field.rawValue] }

    @inlinable public var eventVersion: RawText { self[.eventVersion] }
    @inlinable public var eventSource: RawText { self[.eventSource] }
    @inlinable public var eventName: RawText { self[.eventName] }
    @inlinable public var awsRegion: RawText { self[.awsRegion] }
    /// An IP address, or the name of an AWS service calling on the principal's behalf.
    @inlinable public var sourceIPAddress: RawText { self[.sourceIPAddress] }
    @inlinable public var userAgent: RawText { self[.userAgent] }
    @inlinable public var errorCode: RawText { self[.errorCode] }
    @inlinable public var errorMessage: RawText { self[.errorMessage] }
    @inlinable public var requestID: RawText { self[.requestID] }
    @inlinable public var eventID: RawText { self[.eventID] }
    @inlinable public var eventType: RawText { self[.eventType] }
    @inlinable public var recipientAccountId: RawText { self[.recipientAccountId] }
    @inlinable public var readOnly: Bool? { self[.readOnly].bool }
    @inlinable public var requestParameters: RawText { self[.requestParameters] }
    @inlinable public var responseElements: RawText { self[.responseElements] }
    @inlinable public var additionalEventData: RawText { self[.additionalEventData] }

    /// `userIdentity.type`: `Root`, `IAMUser`, `AssumedRole`, `FederatedUser`, `AWSService`, …
    @inlinable public var identityType: RawText { self[.identityType] }
    @inlinable public var principalId: RawText { self[.principalId] }
    @inlinable public var identityArn: RawText { self[.identityArn] }
    @inlinable public var identityAccountId: RawText { self[.identityAccountId] }
    @inlinable public var accessKeyId: RawText { self[.accessKeyId] }
    @inlinable public var userName: RawText { self[.userName] }
    @inlinable public var invokedBy: RawText { self[.invokedBy] }
    @inlinable public var sessionIssuerType: RawText { self[.sessionIssuerType] }
    @inlinable public var sessionIssuerArn: RawText { self[.sessionIssuerArn] }
    @inlinable public var sessionIssuerUserName: RawText { self[.sessionIssuerUserName] }
    @inlinable public var mfaAuthenticated: Bool? { self[.mfaAuthenticated].bool }
    /// Whether the call used short-term root credentials from `sts:AssumeRoot` (centralised root access).
    @inlinable public var isAssumedRoot: Bool { self[.assumedRoot].bool == true }
    /// For credentials AWS issued to a resource: its type (`AWS::Lambda::Function`, `AWS::ECS::Task`, …).
    @inlinable public var credentialScopeType: RawText { self[.scopeIssuerType] }
    /// For credentials AWS issued to a resource: the resource (an ARN).
    @inlinable public var credentialsIssuedTo: RawText { self[.scopeIssuedTo] }

    /// The account the event belongs to: `recipientAccountId`, else `userIdentity.accountId`.
    @inlinable public var accountId: RawText {
        let recipient = recipientAccountId
        return recipient.isPresent ? recipient : identityAccountId
    }

    /// The source address when `sourceIPAddress` is an IP (not an AWS service name).
    @inlinable public var sourceAddress: IPAddress? { sourceIPAddress.ipAddress }

    /// The name GuardDuty shows for the principal: the IAM user name, the role name of an assumed
    /// role (its session issuer), `Root`, or the principal id.
    public var principalName: String? {
        if identityType.equals("Root") { return "Root" }
        if let name = userName.string { return name }
        if let issuer = sessionIssuerUserName.string { return issuer }
        return principalId.string
    }
}

extension CloudTrailEvent: LogRecord {
    public static var dataSource: DataSource { .cloudTrail }

    /// `recipientAccountId`, else `userIdentity.accountId`, else the S3 key's account.
    @inlinable public func account(in source: LogSource) -> AccountID {
        AccountID(bytes: accountId.bytes) ?? source.account ?? .unknown
    }

    /// `awsRegion`, else the S3 key's region, else `us-east-1`.
    public func region(in source: LogSource) -> String {
        awsRegion.string ?? source.layout?.region ?? "us-east-1"
    }
}
