/// An attack sequence: the findings and signals of one actor correlated into one story
/// (botocore's `Sequence`, in `service.detection.sequence`). Timestamps are seconds since the
/// epoch, as GuardDuty's REST API writes `timestamp` members.
public struct AttackSequence: Codable, Hashable, Sendable {
    public var uid: String
    public var description: String
    public var actors: [SequenceActor]?
    public var resources: [SequenceResource]?
    public var endpoints: [NetworkEndpoint]?
    public var signals: [Signal]
    public var sequenceIndicators: [Indicator]?
    public var additionalSequenceTypes: [String]?

    public init(uid: String, description: String, actors: [SequenceActor]? = nil, resources: [SequenceResource]? = nil,
                endpoints: [NetworkEndpoint]? = nil, signals: [Signal], sequenceIndicators: [Indicator]? = nil,
                additionalSequenceTypes: [String]? = nil) {
        self.uid = uid
        self.description = description
        self.actors = actors
        self.resources = resources
        self.endpoints = endpoints
        self.signals = signals
        self.sequenceIndicators = sequenceIndicators
        self.additionalSequenceTypes = additionalSequenceTypes
    }
}

/// Who acted in a sequence (botocore's `Actor`).
public struct SequenceActor: Codable, Hashable, Sendable {
    public var id: String
    public var user: SequenceUser?
    public var session: SequenceSession?
    public init(id: String, user: SequenceUser? = nil, session: SequenceSession? = nil) {
        self.id = id
        self.user = user
        self.session = session
    }
}

/// botocore's `User`.
public struct SequenceUser: Codable, Hashable, Sendable {
    public var name: String
    public var uid: String
    public var type: String
    public var credentialUid: String?
    public var account: SequenceAccount?
    public init(name: String, uid: String, type: String, credentialUid: String? = nil, account: SequenceAccount? = nil) {
        self.name = name
        self.uid = uid
        self.type = type
        self.credentialUid = credentialUid
        self.account = account
    }
}

/// botocore's `Account` (its `Name` member travels as `account`).
public struct SequenceAccount: Codable, Hashable, Sendable {
    public var uid: String
    public var account: String?
    public init(uid: String, account: String? = nil) {
        self.uid = uid
        self.account = account
    }
}

/// botocore's `Session`.
public struct SequenceSession: Codable, Hashable, Sendable {
    public var uid: String?
    /// `ENABLED` or `DISABLED`.
    public var mfaStatus: String?
    public var createdTime: Double?
    public var issuer: String?
    public init(uid: String? = nil, mfaStatus: String? = nil, createdTime: Double? = nil, issuer: String? = nil) {
        self.uid = uid
        self.mfaStatus = mfaStatus
        self.createdTime = createdTime
        self.issuer = issuer
    }
}

/// A resource a sequence touched (botocore's `ResourceV2`, without the per-type data).
public struct SequenceResource: Codable, Hashable, Sendable {
    public var uid: String
    public var name: String?
    public var accountId: String?
    /// `ACCESS_KEY`, `S3_BUCKET`, `EC2_INSTANCE`, …
    public var resourceType: String
    public var region: String?
    public var service: String?
    public var cloudPartition: String?
    public init(uid: String, name: String? = nil, accountId: String? = nil, resourceType: String, region: String? = nil,
                service: String? = nil, cloudPartition: String? = nil) {
        self.uid = uid
        self.name = name
        self.accountId = accountId
        self.resourceType = resourceType
        self.region = region
        self.service = service
        self.cloudPartition = cloudPartition
    }
}

/// A network endpoint of a sequence (botocore's `NetworkEndpoint`).
public struct NetworkEndpoint: Codable, Hashable, Sendable {
    public var id: String
    public var ip: String?
    public var domain: String?
    public var port: Int?
    public var autonomousSystem: AutonomousSystem?
    public init(id: String, ip: String? = nil, domain: String? = nil, port: Int? = nil, autonomousSystem: AutonomousSystem? = nil) {
        self.id = id
        self.ip = ip
        self.domain = domain
        self.port = port
        self.autonomousSystem = autonomousSystem
    }
}

/// botocore's `AutonomousSystem`.
public struct AutonomousSystem: Codable, Hashable, Sendable {
    public var name: String
    public var number: Int
    public init(name: String, number: Int) {
        self.name = name
        self.number = number
    }
}

/// One finding or event in a sequence (botocore's `Signal`).
public struct Signal: Codable, Hashable, Sendable {
    public var uid: String
    /// `FINDING`, `CLOUD_TRAIL`, …
    public var type: String
    public var description: String?
    public var name: String
    public var createdAt: Double
    public var updatedAt: Double
    public var firstSeenAt: Double
    public var lastSeenAt: Double
    public var severity: Double?
    public var count: Int
    public var resourceUids: [String]?
    public var actorIds: [String]?
    public var endpointIds: [String]?
    public var signalIndicators: [Indicator]?
    public init(uid: String, type: String, description: String? = nil, name: String, createdAt: Double, updatedAt: Double,
                firstSeenAt: Double, lastSeenAt: Double, severity: Double? = nil, count: Int, resourceUids: [String]? = nil,
                actorIds: [String]? = nil, endpointIds: [String]? = nil, signalIndicators: [Indicator]? = nil) {
        self.uid = uid
        self.type = type
        self.description = description
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
        self.severity = severity
        self.count = count
        self.resourceUids = resourceUids
        self.actorIds = actorIds
        self.endpointIds = endpointIds
        self.signalIndicators = signalIndicators
    }
}

/// What made a signal or sequence suspicious (botocore's `Indicator`).
public struct Indicator: Codable, Hashable, Sendable {
    /// `ATTACK_TACTIC`, `HIGH_RISK_API`, `MALICIOUS_IP`, `TOR_IP`, `SUSPICIOUS_USER_AGENT`, …
    public var key: String
    public var values: [String]?
    public var title: String?
    public init(key: String, values: [String]? = nil, title: String? = nil) {
        self.key = key
        self.values = values
        self.title = title
    }
}
