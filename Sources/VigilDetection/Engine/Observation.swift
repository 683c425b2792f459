import VigilModel

/// One sighting of suspicious activity, as a detector reports it. The engine turns observations
/// that share an ``identity`` into one finding whose `count` and `eventLastSeen` grow.
public struct Observation: Sendable {
    /// The finding type; one its detector declares (the engine refuses any other).
    public var type: FindingType
    /// The severity; the catalogue's default when `nil`.
    public var severity: Double?
    public var accountId: String
    public var region: String
    /// When the activity happened (event time).
    public var time: Timestamp
    public var resource: Resource
    public var action: Action?
    /// `ACTOR` or `TARGET`.
    public var resourceRole: ResourceRole?
    public var evidence: Evidence?
    public var title: String
    public var description: String
    /// The aggregation identity: findings are one per (account, region, type, resource, actor).
    public var identity: Identity
    /// The ID of the triggering event (CloudTrail `eventID`), kept as evidence.
    public var eventId: String?
    /// Where the triggering record is (`path:line 3`), kept as evidence.
    public var evidenceLocation: String?
    /// Extra facts for the finding's `additionalInfo`.
    public var details: [String: String]
    /// For anomaly findings: the profiled behaviour and what did not fit it (`service.detection`).
    public var detection: Detection?

    /// What makes two observations the same finding.
    public struct Identity: Hashable, Sendable {
        /// The affected resource: an access key, principal, instance or bucket.
        public var resource: String
        /// Who acted: a principal, remote address or domain.
        public var actor: String
        public init(resource: String, actor: String) {
            self.resource = resource
            self.actor = actor
        }
    }

    public init(type: FindingType, severity: Double? = nil, accountId: String, region: String, time: Timestamp,
                resource: Resource, action: Action? = nil, resourceRole: ResourceRole? = nil, evidence: Evidence? = nil,
                title: String, description: String, identity: Identity, eventId: String? = nil,
                evidenceLocation: String? = nil, details: [String: String] = [:], detection: Detection? = nil) {
        self.type = type
        self.severity = severity
        self.accountId = accountId
        self.region = region
        self.time = time
        self.resource = resource
        self.action = action
        self.resourceRole = resourceRole
        self.evidence = evidence
        self.title = title
        self.description = description
        self.identity = identity
        self.eventId = eventId
        self.evidenceLocation = evidenceLocation
        self.details = details
        self.detection = detection
    }
}
