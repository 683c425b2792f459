import Foundation
import Testing
@testable import VigilDetection
import VigilModel
import VigilTesting

/// Attack sequences: one principal's findings within 24 hours correlated into one Critical finding
/// carrying botocore's `Sequence`, updated as signals join, each signal naming the sequence.
@Suite struct AttackSequenceTests {
    static let t0 = Timestamp(secondsSinceEpoch: 1_790_000_000)

    static func finding(_ type: String, severity: Double, at minutes: Int, principal: String = "AIDAALICE",
                        api: String = "ListUsers", ip: String = "198.51.100.7", bucket: String? = nil,
                        threatList: Bool = false) -> Finding {
        let time = t0.adding(seconds: Int64(minutes * 60)).iso8601
        var call = AwsApiCallAction(api: api, callerType: "Remote IP", remoteIpDetails: RemoteIpDetails(ipAddressV4: ip, organization: Organization(asn: "64500", asnOrg: "EXAMPLE")),
                                    serviceName: "iam.amazonaws.com")
        if let bucket { call.affectedResources = ["AWS::S3::Bucket": bucket] }
        let evidence = threatList ? Evidence(threatIntelligenceDetails: [ThreatIntelligenceDetail(threatListName: "bad", threatNames: ["bad"])]) : nil
        let id = StableIdentifier.hex([type, principal, "\(minutes)"])
        let service = Service(action: .apiCall(call), evidence: evidence, archived: false, count: 1, detectorId: "d", eventFirstSeen: time, eventLastSeen: time,
                              resourceRole: "TARGET", serviceName: "guardduty",
                              additionalInfo: ServiceAdditionalInfo(value: "{\"triggeringEventIds\":[\"e-\(id)\"]}", type: "default"))
        return Finding(accountId: "111122223333", arn: Finding.arn(region: "us-east-1", accountId: "111122223333", detectorId: "d", findingId: id),
                       createdAt: time, id: id, region: "us-east-1",
                       resource: Resource(accessKeyDetails: AccessKeyDetails(accessKeyId: "AKIA\(principal)", principalId: principal, userName: principal.lowercased(), userType: "IAMUser"),
                                          resourceType: "AccessKey"),
                       service: service, severity: severity, title: type, type: type, updatedAt: time)
    }

    static let persistence = "Persistence:IAMUser/Sigma.AccessKeyCreatedForAnotherUser"
    static let escalation = "PrivilegeEscalation:IAMUser/Sigma.AdministratorAccessAttached"
    static let evasion = "DefenseEvasion:IAMUser/Sigma.VPCFlowLogsDeleted"
    static let discovery = "Discovery:IAMUser/AnomalousBehavior"

    @Test func threeTacticsWithAHighSignalMakeOneSequence() throws {
        let correlator = AttackSequenceCorrelator()
        let batch = [Self.finding(Self.persistence, severity: 5, at: 0), Self.finding(Self.escalation, severity: 8, at: 10, api: "AttachUserPolicy"),
                     Self.finding(Self.evasion, severity: 8, at: 20, api: "DeleteFlowLogs")]
        let out = correlator.correlate(batch)
        let sequences = out.filter { $0.type.hasPrefix("AttackSequence:") }
        let sequence = try #require(sequences.first)
        #expect(sequences.count == 1)
        #expect(sequence.type == "AttackSequence:IAM/CompromisedCredentials")
        #expect(sequence.severity == 9.0)
        let detail = try #require(sequence.service?.detection?.sequence)
        #expect(detail.signals.map(\.uid) == batch.map(\.id))
        #expect(detail.signals.allSatisfy { $0.type == "FINDING" && $0.actorIds == ["AIDAALICE"] })
        let keys = Set(detail.sequenceIndicators?.map(\.key) ?? [])
        #expect(keys == ["ATTACK_TACTIC", "HIGH_RISK_API"])
        #expect(detail.sequenceIndicators?.first { $0.key == "HIGH_RISK_API" }?.values == ["AttachUserPolicy", "DeleteFlowLogs", "ListUsers"])
        #expect(detail.actors?.first?.user?.credentialUid == "AKIAAIDAALICE")
        #expect(detail.endpoints?.map(\.ip) == ["198.51.100.7"])
        // Each signal names its sequence.
        for finding in out where !finding.type.hasPrefix("AttackSequence:") { #expect(finding.associatedAttackSequenceArn == sequence.arn) }
        #expect(correlator.takeAssociations().isEmpty)

        // A later batch: a fourth signal joins the same sequence (same ID, four signals), and the
        // stored signals of earlier batches are not re-associated.
        let later = correlator.correlate([Self.finding(Self.discovery, severity: 5, at: 60)])
        let updated = try #require(later.first { $0.type.hasPrefix("AttackSequence:") })
        #expect(updated.id == sequence.id)
        #expect(updated.service?.detection?.sequence?.signals.count == 4)
        #expect(later.first { !$0.type.hasPrefix("AttackSequence:") }?.associatedAttackSequenceArn == sequence.arn)
        #expect(correlator.takeAssociations().isEmpty)
    }

    @Test func signalsOfEarlierBatchesAreAssociatedThroughTheStore() throws {
        let correlator = AttackSequenceCorrelator()
        let first = correlator.correlate([Self.finding(Self.persistence, severity: 5, at: 0), Self.finding(Self.discovery, severity: 5, at: 5)])
        #expect(first.allSatisfy { !$0.type.hasPrefix("AttackSequence:") && $0.associatedAttackSequenceArn == nil })
        let second = correlator.correlate([Self.finding(Self.escalation, severity: 8, at: 30)])
        let sequence = try #require(second.first { $0.type.hasPrefix("AttackSequence:") })
        let associations = correlator.takeAssociations()
        #expect(Set(associations.map(\.findingId)) == Set(first.map(\.id)))
        #expect(associations.allSatisfy { $0.sequenceArn == sequence.arn && $0.accountId == "111122223333" })
    }

    @Test func nearMissesRaiseNoSequence() {
        func sequences(_ findings: [Finding]) -> Int { AttackSequenceCorrelator().correlate(findings).filter { $0.type.hasPrefix("AttackSequence:") }.count }
        // Two signals only.
        #expect(sequences([Self.finding(Self.persistence, severity: 5, at: 0), Self.finding(Self.escalation, severity: 8, at: 1)]) == 0)
        // Three signals of one tactic.
        #expect(sequences((0..<3).map { Self.finding("Persistence:IAMUser/Sigma.Rule\($0)", severity: 8, at: $0) }) == 0)
        // Three tactics, but all Low/Medium and nothing saying the credentials are stolen.
        #expect(sequences([Self.finding(Self.persistence, severity: 5, at: 0), Self.finding("Discovery:IAMUser/Sigma.EmailSendingCapabilityEnumerated", severity: 2, at: 1),
                           Self.finding("Execution:IAMUser/Sigma.InstanceUserDataChanged", severity: 5, at: 2)]) == 0)
        // Three principals, one signal each.
        #expect(sequences([Self.finding(Self.persistence, severity: 5, at: 0, principal: "AIDAA"), Self.finding(Self.escalation, severity: 8, at: 1, principal: "AIDAB"),
                           Self.finding(Self.evasion, severity: 8, at: 2, principal: "AIDAC")]) == 0)
        // More than a day apart.
        #expect(sequences([Self.finding(Self.persistence, severity: 5, at: 0), Self.finding(Self.escalation, severity: 8, at: 60 * 20),
                           Self.finding(Self.evasion, severity: 8, at: 60 * 50)]) == 0)
    }

    @Test func aMaliciousAddressIsEnoughWithoutAHighSignal() throws {
        let findings = [Self.finding("Discovery:IAMUser/MaliciousIPCaller", severity: 5, at: 0, threatList: true),
                        Self.finding(Self.persistence, severity: 5, at: 1), Self.finding("Execution:IAMUser/Sigma.InstanceUserDataChanged", severity: 5, at: 2)]
        let sequence = try #require(AttackSequenceCorrelator().correlate(findings).first { $0.type.hasPrefix("AttackSequence:") })
        #expect(sequence.service?.detection?.sequence?.sequenceIndicators?.contains { $0.key == "MALICIOUS_IP" && $0.values == ["198.51.100.7"] } == true)
    }

    @Test func sequencesReachingS3AreCompromisedData() throws {
        let findings = [Self.finding(Self.persistence, severity: 5, at: 0), Self.finding(Self.escalation, severity: 8, at: 1),
                        Self.finding("Exfiltration:S3/AnomalousBehavior", severity: 8, at: 2, api: "GetObject", bucket: "payroll")]
        let sequence = try #require(AttackSequenceCorrelator().correlate(findings).first { $0.type.hasPrefix("AttackSequence:") })
        #expect(sequence.type == "AttackSequence:S3/CompromisedData")
        #expect(sequence.service?.detection?.sequence?.resources?.map(\.resourceType) == ["ACCESS_KEY", "S3_BUCKET"])
        #expect(sequence.service?.detection?.sequence?.additionalSequenceTypes == ["AttackSequence:IAM/CompromisedCredentials"])
    }
}
