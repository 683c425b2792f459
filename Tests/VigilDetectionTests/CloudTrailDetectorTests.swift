import Foundation
import Testing
@testable import VigilDetection
import VigilModel
import VigilTesting

@Suite struct CloudTrailLoggingDisabledTests {
    @Test func firesOnStopLoggingDeleteTrailAndSelectorsWithoutManagementEvents() throws {
        let events = [
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.Stopped", test: "CloudTrail Was Stopped"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.SecurityConfigurationChange", test: "Security Configuration Changed"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.EventSelectorsDisabled", test: "Event Selector Disabled"),
            try CorpusEvents.event(CorpusEvents.streamAlert, rule: "cloudtrail_critical_api_calls", test: "Suspending the recording"),
        ]
        for event in events {
            let findings = try CorpusEvents.findings([event], CloudTrailLoggingDisabled())
            #expect(findings.map(\.type) == ["Stealth:IAMUser/CloudTrailLoggingDisabled"], "\(event["eventName"] ?? "")")
            let finding = try #require(findings.first)
            #expect(finding.severity == 2.0)
            #expect(finding.service?.action?.awsApiCallAction?.api == event["eventName"] as? String)
            #expect(finding.resource.resourceType == "AccessKey")
        }
    }

    @Test func quietOnFailuresAndHarmlessChanges() throws {
        let events = [
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.Stopped", test: "Error Stopping CloudTrail"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.SecurityConfigurationChange", test: "Security Configuration Not Changed"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.EventSelectorsDisabled", test: "Event Selector Enabled"),
            try CorpusEvents.event(CorpusEvents.streamAlert, rule: "cloudtrail_critical_api_calls", test: "Updating an AWS CloudTrail trail"),
        ]
        #expect(try CorpusEvents.findings(events, CloudTrailLoggingDisabled()).isEmpty)
    }

    @Test func advancedSelectorsWithoutManagementCategory() throws {
        let off = JSONTree(text: #"{"advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Data"]}]}]}"#)!
        let on = JSONTree(text: #"{"advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]}]}"#)!
        #expect(CloudTrailLoggingDisabled.excludesManagementEvents(off))
        #expect(!CloudTrailLoggingDisabled.excludesManagementEvents(on))
    }
}

@Suite struct S3DetectorTests {
    @Test func serverAccessLoggingDisabled() throws {
        let fires = try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.S3.DisableBucketLogging", test: "Bucket Logging Disabled Successfully")
        let findings = try CorpusEvents.findings([fires], S3ServerAccessLoggingDisabled())
        #expect(findings.map(\.type) == ["Stealth:S3/ServerAccessLoggingDisabled"])
        #expect(findings.first?.resource.s3BucketDetails?.first?.name == "critical-data-bucket")
        #expect(findings.first?.resource.resourceType == "S3Bucket")
        let quiet = try ["Bucket Logging Disabled - Failed", "Bucket Logging Enabled", "Logging Field Missing"].map {
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.S3.DisableBucketLogging", test: $0)
        }
        #expect(try CorpusEvents.findings(quiet, S3ServerAccessLoggingDisabled()).isEmpty)
    }

    @Test func bucketBlockPublicAccessDisabled() throws {
        let deleted = try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.S3.DeletePublicAccessBlock", test: "Public Access Block Deleted Successfully")
        let turnedOff = try CorpusEvents.event(CorpusEvents.streamAlert, rule: "cloudtrail_critical_api_calls", test: "Turning off S3 PublicAccessBlock for a single bucket")
        let findings = try CorpusEvents.findings([deleted, turnedOff], S3BlockPublicAccessDisabled())
        #expect(findings.map(\.type) == ["Policy:S3/BucketBlockPublicAccessDisabled", "Policy:S3/BucketBlockPublicAccessDisabled"])
        #expect(findings.allSatisfy { $0.severity == 2.0 })
        let off = try #require(findings.first { $0.resource.s3BucketDetails?.first?.name == "..." })
        #expect(off.resource.s3BucketDetails?.first?.publicAccess?.permissionConfiguration?.bucketLevelPermissions?.blockPublicAccess?.blockPublicAcls == false)
        let quiet = [
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.S3.DeletePublicAccessBlock", test: "Public Access Block Deletion Failed"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.S3.DeletePublicAccessBlock", test: "Different S3 Event"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.S3.DeletePublicAccessBlock", test: "Non-S3 Event"),
            try CorpusEvents.event(CorpusEvents.streamAlert, rule: "cloudtrail_critical_api_calls", test: "Turning on S3 PublicAccessBlock"),
        ]
        #expect(try CorpusEvents.findings(quiet, S3BlockPublicAccessDisabled()).isEmpty)
    }

    @Test func accountBlockPublicAccessDisabled() throws {
        for test in ["Turning off S3 PublicAccessBlock for an entire account", "Turning off S3 PublicAccessBlock for an account"] {
            let event = try CorpusEvents.event(CorpusEvents.streamAlert, rule: "cloudtrail_critical_api_calls", test: test)
            let findings = try CorpusEvents.findings([event], S3BlockPublicAccessDisabled())
            #expect(findings.map(\.type) == ["Policy:S3/AccountBlockPublicAccessDisabled"], "\(test)")
        }
        var partial = try CorpusEvents.event(CorpusEvents.streamAlert, rule: "cloudtrail_critical_api_calls", test: "Turning off S3 PublicAccessBlock for an account")
        partial["eventSource"] = "s3-control.amazonaws.com"
        partial["requestParameters"] = ["accountId": "123456789012",
                                        "PublicAccessBlockConfiguration": ["BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": false, "RestrictPublicBuckets": true]]
        let findings = try CorpusEvents.findings([partial], S3BlockPublicAccessDisabled())
        #expect(findings.map(\.type) == ["Policy:S3/AccountBlockPublicAccessDisabled"])
        #expect(findings.first?.description?.contains("(BlockPublicPolicy off)") == true)
    }

    @Test func anonymousAndAuthenticatedAccessGrants() throws {
        let policyAWSStar = try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.ResourceMadePublic", test: "S3 Made Publicly Accessible")
        let policyStar = try CorpusEvents.event(CorpusEvents.streamAlert, rule: "cloudtrail_public_resources", test: "S3 made public")
        let aclAllUsers = try CorpusEvents.event(CorpusEvents.streamAlert, rule: "cloudtrail_put_bucket_acl", test: "Modifying an S3 bucket to have")
        // The same change with only the AuthenticatedUsers grants left: every AWS user, not everyone.
        var aclAuthenticated = aclAllUsers
        let text = String(decoding: try JSONSerialization.data(withJSONObject: aclAllUsers), as: UTF8.self)
            .replacingOccurrences(of: "groups\\/global\\/AllUsers", with: "groups\\/s3\\/LogDelivery")
        aclAuthenticated = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var types: [String] = []
        for event in [policyAWSStar, policyStar, aclAllUsers, aclAuthenticated] {
            types += try CorpusEvents.findings([event], S3BucketPublicAccessGranted()).map(\.type)
        }
        #expect(types == ["Policy:S3/BucketAnonymousAccessGranted", "Policy:S3/BucketAnonymousAccessGranted",
                          "Policy:S3/BucketAnonymousAccessGranted", "Policy:S3/BucketPublicAccessGranted"])
        let anonymous = try #require(try CorpusEvents.findings([policyStar], S3BucketPublicAccessGranted()).first)
        #expect(anonymous.severity == 8.0)
        #expect(anonymous.resource.s3BucketDetails?.first?.publicAccess?.effectivePermission == "PUBLIC")
    }

    @Test func quietOnPrivateOrRestrictedGrants() throws {
        let quiet = [
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.ResourceMadePublic", test: "S3 Not Made Publicly Accessible"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.ResourceMadePublic", test: "Null Request Parameters"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.ResourceMadePublic", test: "S3 Failed to make Publicly Accessible"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.ResourceMadePublic", test: "Invalid JSON Policy"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.ResourceMadePublic", test: "All Restrictive Conditions Types"),
            try CorpusEvents.event(CorpusEvents.streamAlert, rule: "cloudtrail_put_bucket_acl", test: "Modifying an S3 bucket ACL without"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.S3.BucketPolicyModified", test: "S3 Bucket Policy Modified"),
        ]
        #expect(try CorpusEvents.findings(quiet, S3BucketPublicAccessGranted()).isEmpty)
    }

    @Test func cannedACLOnCreateBucket() throws {
        var event = try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.S3.BucketPolicyModified", test: "S3 Bucket Policy Modified")
        event["eventName"] = "CreateBucket"
        event["requestParameters"] = ["bucketName": "open-bucket", "x-amz-acl": ["public-read-write"]]
        let finding = try #require(try CorpusEvents.findings([event], S3BucketPublicAccessGranted()).first)
        #expect(finding.type == "Policy:S3/BucketAnonymousAccessGranted")
        #expect(finding.resource.s3BucketDetails?.first?.publicAccess?.permissionConfiguration?.bucketLevelPermissions?.accessControlList?.allowsPublicWriteAccess == true)
    }
}

@Suite struct RootCredentialUsageTests {
    @Test func firesOnRootActivity() throws {
        let events = [
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.Root.Activity", test: "Root Activity"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.Console.RootLogin", test: "Successful Root Login"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.Root.Activity", test: "Root Read-Only Enumeration"),
        ]
        for event in events {
            let findings = try CorpusEvents.findings([event], RootCredentialUsage())
            #expect(findings.map(\.type) == ["Policy:IAMUser/RootCredentialUsage"], "\(event["eventName"] ?? "")")
            #expect(findings.first?.resource.accessKeyDetails?.userType == "Root")
        }
    }

    @Test func quietOnFailedLoginsServiceActionsAndOtherPrincipals() throws {
        let quiet = [
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.Console.RootLoginFailed", test: "Failed Root Login"),
            try CorpusEvents.event(CorpusEvents.streamAlert, rule: "cloudtrail_root_account_usage", test: "AWS 'Root' account activity initiated automatically"),
            try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.CloudTrail.Stopped", test: "CloudTrail Was Stopped"),
        ]
        #expect(try CorpusEvents.findings(quiet, RootCredentialUsage()).isEmpty)
    }
}

@Suite struct PenTestUserAgentTests {
    static let agents: [(String, String?)] = [
        ("aws-cli/1.16.307 Python/3.7.5 Linux/5.3.0-kali2-amd64 botocore/1.13.43", "PenTest:IAMUser/KaliLinux"),
        ("Boto3/1.26.0 md/Botocore#1.29.0 ua/2.0 os/linux#6.5.0-kali3-amd64 md/arch#x86_64 lang/python#3.11.8", "PenTest:IAMUser/KaliLinux"),
        ("aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.8.11-amd64 md/arch#x86_64 distrib#parrot md/installer#exe", "PenTest:IAMUser/ParrotLinux"),
        ("aws-cli/2.15.0 Python/3.11.6 Linux/6.6.9-amd64 exe/x86_64.kali.2024 prompt/off", nil),
        ("aws-cli/1.22.34 Python/3.10.12 Linux/6.1.0-1parrot1-amd64 botocore/1.23.34", "PenTest:IAMUser/ParrotLinux"),
        ("aws-cli/2.9.0 Python/3.9.11 Linux/6.6.13-pentoo exe/x86_64.gentoo", "PenTest:IAMUser/PentooLinux"),
        ("aws-cli/2.13.5 Python/3.11.4 Linux/5.15.0-1045-aws exe/x86_64.ubuntu.22", nil),
        ("aws-sdk-go/1.44 (go1.20; linux; amd64) bucket/kali-backups", nil),
        ("console.amazonaws.com", nil),
    ]

    @Test(arguments: agents)
    func recognisesDistributionsByTheirKernelToken(agent: String, expected: String?) throws {
        var event = try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.Root.Activity", test: "Root Activity")
        event["userAgent"] = agent
        let types = try CorpusEvents.findings([event], PenTestUserAgent()).map(\.type)
        #expect(types == (expected.map { [$0] } ?? []))
    }
}

@Suite struct PasswordPolicyChangeTests {
    static func event(_ name: String, _ parameters: [String: Any]?, id: String, error: String? = nil) throws -> [String: Any] {
        var event = try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.Root.Activity", test: "Root Activity")
        event["eventName"] = name
        event["eventSource"] = "iam.amazonaws.com"
        event["eventID"] = id
        event["requestParameters"] = parameters ?? NSNull()
        if let error { event["errorCode"] = error }
        return event
    }

    nonisolated(unsafe) static let strong: [String: Any] = ["minimumPasswordLength": 14, "requireSymbols": true, "requireNumbers": true,
                                        "requireUppercaseCharacters": true, "requireLowercaseCharacters": true,
                                        "maxPasswordAge": 90, "passwordReusePrevention": 24]

    @Test func weakeningAfterAStrongPolicyFires() throws {
        var weak = Self.strong
        weak["minimumPasswordLength"] = 8
        weak["requireSymbols"] = false
        let findings = try CorpusEvents.findings([
            try Self.event("UpdateAccountPasswordPolicy", Self.strong, id: "1"),
            try Self.event("UpdateAccountPasswordPolicy", weak, id: "2"),
        ], PasswordPolicyChange())
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.type == "Stealth:IAMUser/PasswordPolicyChange")
        #expect(finding.description?.contains("minimum length lowered from 14 to 8") == true)
        #expect(finding.description?.contains("symbols no longer required") == true)
    }

    @Test func deletionFiresAtMedium() throws {
        let finding = try #require(try CorpusEvents.findings([try Self.event("DeleteAccountPasswordPolicy", nil, id: "3")], PasswordPolicyChange()).first)
        #expect(finding.severity == 5.0)
    }

    @Test func strengtheningAndFailuresAreQuiet() throws {
        var stronger = Self.strong
        stronger["minimumPasswordLength"] = 20
        let findings = try CorpusEvents.findings([
            try Self.event("UpdateAccountPasswordPolicy", Self.strong, id: "1"),
            try Self.event("UpdateAccountPasswordPolicy", stronger, id: "2"),
            try Self.event("DeleteAccountPasswordPolicy", nil, id: "3", error: "AccessDenied"),
        ], PasswordPolicyChange())
        #expect(findings.isEmpty)
    }
}
