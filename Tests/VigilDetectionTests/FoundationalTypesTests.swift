import Foundation
import Testing
@testable import VigilDetection
import VigilModel
import VigilSimulation
import VigilTesting

/// The last foundational types: Bedrock logging disabled, short-term root credentials, and
/// credentials of a compute resource used from outside AWS — each fires and each has near misses
/// that do not.
@Suite struct FoundationalTypesTests {
    typealias P = PrincipalBaselineTests

    @Test func bedrockLoggingDisabled() throws {
        var delete = P.event(P.t0, "DeleteModelInvocationLoggingConfiguration")
        delete["eventSource"] = "bedrock.amazonaws.com"
        let found = try DetectionHarness.findings(cloudTrail: [delete], detectors: [BedrockLoggingDisabled()])
        #expect(found.map(\.type) == ["DefenseEvasion:IAMUser/BedrockLoggingDisabled"])
        #expect(found.first?.severity == 5.0)
        var failed = delete
        failed["errorCode"] = "AccessDeniedException"
        var put = delete
        put["eventName"] = "PutModelInvocationLoggingConfiguration"
        var elsewhere = delete
        elsewhere["eventSource"] = "iam.amazonaws.com"
        for miss in [failed, put, elsewhere] {
            #expect(try DetectionHarness.findings(cloudTrail: [miss], detectors: [BedrockLoggingDisabled()]).isEmpty)
        }
    }

    static func root(_ api: String, assumed: Bool, time: Int64 = P.t0) -> [String: Any] {
        var event = P.event(time, api)
        var identity: [String: Any] = ["type": "Root", "principalId": "222222222222", "arn": "arn:aws:iam::222222222222:root",
                                       "accountId": "222222222222", "accessKeyId": assumed ? "ASIAROOTTASK0001" : "AKIAROOT00000001"]
        if assumed { identity["sessionContext"] = ["attributes": ["creationDate": "2026-11-01T10:00:00Z", "mfaAuthenticated": "false"], "assumedRoot": "true"] }
        event["userIdentity"] = identity
        event["recipientAccountId"] = "222222222222"
        event["eventSource"] = "s3.amazonaws.com"
        return event
    }

    @Test func shortTermRootCredentialsAreTheirOwnType() throws {
        let task = try DetectionHarness.findings(cloudTrail: [Self.root("DeleteBucketPolicy", assumed: true)], detectors: [RootCredentialUsage()])
        #expect(task.map(\.type) == ["Policy:IAMUser/ShortTermRootCredentialUsage"])
        #expect(task.first?.severity == 2.0)
        let everyday = try DetectionHarness.findings(cloudTrail: [Self.root("DeleteBucketPolicy", assumed: false)], detectors: [RootCredentialUsage()])
        #expect(everyday.map(\.type) == ["Policy:IAMUser/RootCredentialUsage"])
        // The management account's role calling AssumeRoot is not root itself.
        var assume = P.event(P.t0, "AssumeRoot", role: "OrgAdmin")
        assume["eventSource"] = "sts.amazonaws.com"
        #expect(try DetectionHarness.findings(cloudTrail: [assume], detectors: [RootCredentialUsage()]).isEmpty)
    }

    static func lambdaCall(from source: String, scoped: Bool = true) -> [String: Any] {
        var event = P.event(P.t0, "ListBuckets", user: "payments-fn", source: source, role: "payments-fn-role")
        event["eventSource"] = "s3.amazonaws.com"
        if scoped, var identity = event["userIdentity"] as? [String: Any] {
            identity["inScopeOf"] = ["issuerType": "AWS::Lambda::Function",
                                     "credentialsIssuedTo": "arn:aws:lambda:us-east-1:111122223333:function:payments-fn"]
            event["userIdentity"] = identity
        }
        return event
    }

    @Test func resourceCredentialsUsedOutsideAWS() throws {
        let geo = SimulatedGeography.enricher()
        let detector = { ResourceCredentialUse(geo: geo) }
        let stolen = try DetectionHarness.findings(cloudTrail: [Self.lambdaCall(from: "95.24.3.3")], detectors: [detector()])
        #expect(stolen.map(\.type) == ["UnauthorizedAccess:IAMUser/ResourceCredentialExfiltration.OutsideAWS"])
        #expect(stolen.first?.severity == 8.0)
        #expect(stolen.first?.service?.additionalInfo?.value?.contains("function:payments-fn") == true)
        // From the function itself (an AWS address), a VPC endpoint, or a session that is not a
        // resource's: nothing. Nor without a geolocation database to tell.
        #expect(try DetectionHarness.findings(cloudTrail: [Self.lambdaCall(from: "3.80.7.7")], detectors: [detector()]).isEmpty)
        #expect(try DetectionHarness.findings(cloudTrail: [Self.lambdaCall(from: "10.0.4.4")], detectors: [detector()]).isEmpty)
        #expect(try DetectionHarness.findings(cloudTrail: [Self.lambdaCall(from: "95.24.3.3", scoped: false)], detectors: [detector()]).isEmpty)
        #expect(try DetectionHarness.findings(cloudTrail: [Self.lambdaCall(from: "95.24.3.3")], detectors: [ResourceCredentialUse(geo: nil)]).isEmpty)
    }

    @Test func everyTypeOfTheFoundationalCatalogueHasADetector() {
        let declared = Set(LogScan.builtInDetectors(intel: IntelScope(), listsMayChange: true).flatMap(\.findingTypes).map(\.name))
        let catalogue = FindingCatalogue.all.map(\.type.name)
        // Attack sequences are made from other findings, not by a detector of records.
        let missing = catalogue.filter { !declared.contains($0) && !$0.hasPrefix("AttackSequence:") }
        #expect(missing.isEmpty, "\(missing)")
        #expect(catalogue.count == 72)
    }
}
