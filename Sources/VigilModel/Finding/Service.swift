/// What GuardDuty observed (botocore's `Service`).
public struct Service: Codable, Hashable, Sendable {
    public var action: Action?
    public var evidence: Evidence?
    public var archived: Bool?
    public var count: Int?
    public var detectorId: String?
    public var eventFirstSeen: String?
    public var eventLastSeen: String?
    /// `ACTOR` when the resource initiated the activity, `TARGET` when it was reached.
    public var resourceRole: String?
    public var serviceName: String?
    /// `USEFUL` or `NOT_USEFUL`.
    public var userFeedback: String?
    public var additionalInfo: ServiceAdditionalInfo?
    public var featureName: String?
    public var detection: Detection?

    public init(action: Action? = nil, evidence: Evidence? = nil, archived: Bool? = false, count: Int? = 1,
                detectorId: String? = nil, eventFirstSeen: String? = nil, eventLastSeen: String? = nil,
                resourceRole: String? = nil, serviceName: String? = "guardduty", userFeedback: String? = nil,
                additionalInfo: ServiceAdditionalInfo? = nil, featureName: String? = nil, detection: Detection? = nil) {
        self.action = action
        self.evidence = evidence
        self.archived = archived
        self.count = count
        self.detectorId = detectorId
        self.eventFirstSeen = eventFirstSeen
        self.eventLastSeen = eventLastSeen
        self.resourceRole = resourceRole
        self.serviceName = serviceName
        self.userFeedback = userFeedback
        self.additionalInfo = additionalInfo
        self.featureName = featureName
        self.detection = detection
    }
}

/// Free-form details: `value` is a JSON document in a string, `type` is `default`.
public struct ServiceAdditionalInfo: Codable, Hashable, Sendable {
    public var value: String?
    public var type: String?
    public init(value: String?, type: String? = "default") {
        self.value = value
        self.type = type
    }
}

/// Threat-intelligence evidence (botocore's `Evidence`).
public struct Evidence: Codable, Hashable, Sendable {
    public var threatIntelligenceDetails: [ThreatIntelligenceDetail]?
    public init(threatIntelligenceDetails: [ThreatIntelligenceDetail]?) {
        self.threatIntelligenceDetails = threatIntelligenceDetails
    }
}

public struct ThreatIntelligenceDetail: Codable, Hashable, Sendable {
    public var threatListName: String?
    public var threatNames: [String]?
    public var threatFileSha256: String?
    public init(threatListName: String? = nil, threatNames: [String]? = nil, threatFileSha256: String? = nil) {
        self.threatListName = threatListName
        self.threatNames = threatNames
        self.threatFileSha256 = threatFileSha256
    }
}

/// Anomaly-detection and attack-sequence details (botocore's `Detection`).
public struct Detection: Codable, Hashable, Sendable {
    public var anomaly: Anomaly?
    public var sequence: AttackSequence?
    public init(anomaly: Anomaly? = nil, sequence: AttackSequence? = nil) {
        self.anomaly = anomaly
        self.sequence = sequence
    }
}

/// The profiled behaviour and what was unusual about the event.
///
/// `profiles[profileCategory][featureName]` lists the profiled values; `unusual.behavior[category][feature]`
/// is the observed value that did not fit.
public struct Anomaly: Codable, Hashable, Sendable {
    public var profiles: [String: [String: [AnomalyObject]]]?
    public var unusual: AnomalyUnusual?
    public init(profiles: [String: [String: [AnomalyObject]]]? = nil, unusual: AnomalyUnusual? = nil) {
        self.profiles = profiles
        self.unusual = unusual
    }
}

public struct AnomalyUnusual: Codable, Hashable, Sendable {
    public var behavior: [String: [String: AnomalyObject]]?
    public init(behavior: [String: [String: AnomalyObject]]?) { self.behavior = behavior }
}

public struct AnomalyObject: Codable, Hashable, Sendable {
    /// Always `FREQUENCY`.
    public var profileType: String?
    /// `FREQUENT`, `INFREQUENT`, `RARE` or `UNSEEN`.
    public var profileSubtype: String?
    public var observations: Observations?
    public init(profileType: String? = "FREQUENCY", profileSubtype: String?, observations: Observations?) {
        self.profileType = profileType
        self.profileSubtype = profileSubtype
        self.observations = observations
    }
}

public struct Observations: Codable, Hashable, Sendable {
    public var text: [String]?
    public init(text: [String]?) { self.text = text }
}
