import VigilModel

/// What the correlator keeps of one finding that is a signal of an actor's possible sequence.
struct SequenceSignal: Sendable {
    let findingId: String
    let type: String
    let title: String
    var severity: Double
    var first: Timestamp
    var last: Timestamp
    var count: Int
    let tactic: String?
    let api: String?
    let remoteAddress: String?
    let autonomousSystem: AutonomousSystem?
    let bucket: String?
    let userAgent: String?
    /// A threat list named the remote address.
    let listed: Bool
    /// The caller is a Tor exit, or another known-bad address (judged once, when the signal is made).
    private let isTor: Bool
    private let isMalicious: Bool
    private let isPenTest: Bool
    /// Whether this signal alone says the credentials are in the wrong hands: a known-bad
    /// address, a Tor exit, a penetration-testing system, or credentials taken off a resource,
    /// or an anomaly of the principal's own behaviour.
    let isAccessSignal: Bool

    /// A finding as a signal: CloudTrail findings about credentials (an `AccessKey` resource or
    /// an S3 bucket acted on with credentials) — never a sequence itself.
    init?(_ finding: Finding, traits: SignalTraits) {
        guard let details = finding.resource.accessKeyDetails, !traits.isSequence,
              details.principalId != nil || details.accessKeyId != nil || details.userName != nil,
              let service = finding.service, let first = service.eventFirstSeen.flatMap(Timestamp.init(iso8601:)),
              let last = service.eventLastSeen.flatMap(Timestamp.init(iso8601:))
        else { return nil }
        findingId = finding.id
        type = finding.type
        title = finding.title ?? finding.type
        severity = finding.severity
        self.first = first
        self.last = last
        count = service.count ?? 1
        tactic = traits.tactic
        let call = service.action?.awsApiCallAction
        api = call?.api
        userAgent = call?.userAgent
        let remote = call?.remoteIpDetails
        remoteAddress = remote?.ipAddressV4 ?? remote?.ipAddressV6
        if let asn = remote?.organization?.asn.flatMap(Int.init) {
            autonomousSystem = AutonomousSystem(name: remote?.organization?.asnOrg ?? "AS\(asn)", number: asn)
        } else {
            autonomousSystem = nil
        }
        bucket = finding.resource.s3BucketDetails?.first?.name ?? call?.affectedResources?["AWS::S3::Bucket"]
        listed = service.evidence?.threatIntelligenceDetails?.isEmpty == false
        isTor = traits.isTor
        isMalicious = !isTor && (traits.isMaliciousCaller || listed)
        isPenTest = traits.isPenTest
        isAccessSignal = (remoteAddress != nil && (isTor || isMalicious)) || (isPenTest && userAgent != nil) || traits.isAccessType
    }

    /// What made the signal suspicious, as botocore's indicators (made when a sequence is written).
    var indicators: [Indicator] {
        var indicators: [Indicator] = []
        if let tactic { indicators.append(Indicator(key: "ATTACK_TACTIC", values: [tactic], title: tactic)) }
        if let api, SequenceTactics.highRisk.contains(tactic ?? "") {
            indicators.append(Indicator(key: "HIGH_RISK_API", values: [api], title: api))
        }
        if let remoteAddress {
            if isTor {
                indicators.append(Indicator(key: "TOR_IP", values: [remoteAddress], title: remoteAddress))
            } else if isMalicious {
                indicators.append(Indicator(key: "MALICIOUS_IP", values: [remoteAddress], title: remoteAddress))
            }
        }
        if isPenTest, let userAgent {
            indicators.append(Indicator(key: "SUSPICIOUS_USER_AGENT", values: [String(userAgent.prefix(256))], title: "Penetration-testing distribution"))
        }
        return indicators
    }

    /// Folds a later sighting of the same finding in.
    mutating func merge(_ other: SequenceSignal) {
        severity = max(severity, other.severity)
        if other.first < first { first = other.first }
        if other.last > last { last = other.last }
        count += other.count
    }
}

/// The ATT&CK tactic each threat purpose stands for, and which tactics make an API high-risk.
enum SequenceTactics {
    static func tactic(purpose: Substring, type: String) -> String? {
        switch purpose {
        case "Recon", "Discovery": "discovery"
        case "InitialAccess": "initial-access"
        case "UnauthorizedAccess": type.contains("CredentialExfiltration") ? "credential-access" : "initial-access"
        case "CredentialAccess": "credential-access"
        case "Execution": "execution"
        case "Persistence", "Backdoor": "persistence"
        case "PrivilegeEscalation": "privilege-escalation"
        case "DefenseEvasion", "Stealth": "defense-evasion"
        case "Exfiltration": "exfiltration"
        case "Impact": "impact"
        case "PenTest": "reconnaissance"
        default: nil
        }
    }

    /// Tactics whose API calls GuardDuty marks `HIGH_RISK_API`.
    static let highRisk: Set<String> = ["persistence", "privilege-escalation", "defense-evasion", "exfiltration", "impact", "credential-access"]
}
