import Foundation
import Testing
import VigilRules
@testable import VigilCommands
import VigilDetection
import VigilModel
import VigilTesting

/// Vigil's finding JSON checked against botocore's own GuardDuty `Finding` shape.
@Suite struct FindingShapeCompatibilityTests {
    /// A finding with every member Vigil's model has, each set.
    static let everyMember: Finding = {
        let remote = RemoteIpDetails(city: City(cityName: "Frankfurt"), country: Country(countryCode: "DE", countryName: "Germany"),
                                     geoLocation: GeoLocation(lat: 50.1, lon: 8.7), ipAddressV4: "198.51.100.7", ipAddressV6: "2001:db8::7",
                                     organization: Organization(asn: "64500", asnOrg: "Example", isp: "Example ISP", org: "Example Org"))
        let block = BlockPublicAccess(ignorePublicAcls: false, restrictPublicBuckets: false, blockPublicAcls: false, blockPublicPolicy: false)
        let resource = Resource(
            accessKeyDetails: AccessKeyDetails(accessKeyId: "AKIA", principalId: "AIDA", userName: "alice", userType: "IAMUser"),
            s3BucketDetails: [S3BucketDetail(
                arn: "arn:aws:s3:::b", name: "b", type: "Destination", createdAt: 1_700_000_000, owner: Owner(id: "o"),
                tags: [Tag(key: "k", value: "v")],
                defaultServerSideEncryption: DefaultServerSideEncryption(encryptionType: "AES256", kmsMasterKeyArn: "arn:k"),
                publicAccess: PublicAccess(permissionConfiguration: PermissionConfiguration(
                    bucketLevelPermissions: BucketLevelPermissions(
                        accessControlList: AccessControlList(allowsPublicReadAccess: true, allowsPublicWriteAccess: false),
                        bucketPolicy: BucketPolicy(allowsPublicReadAccess: true, allowsPublicWriteAccess: false), blockPublicAccess: block),
                    accountLevelPermissions: AccountLevelPermissions(blockPublicAccess: block)), effectivePermission: "PUBLIC"),
                s3ObjectDetails: [S3ObjectDetail(objectArn: "arn:o", key: "k", eTag: "e", hash: "h", versionId: "1")])],
            instanceDetails: InstanceDetails(
                availabilityZone: "us-east-1a", iamInstanceProfile: IamInstanceProfile(arn: "arn:p", id: "p"), imageDescription: "d",
                imageId: "ami-1", instanceId: "i-1", instanceState: "running", instanceType: "t3.micro", outpostArn: "arn:out",
                launchTime: "2023-11-14T22:15:00.000Z",
                networkInterfaces: [NetworkInterface(
                    ipv6Addresses: ["2001:db8::1"], networkInterfaceId: "eni-1", privateDnsName: "ip-10-0-0-1", privateIpAddress: "10.0.0.1",
                    privateIpAddresses: [PrivateIpAddressDetails(privateDnsName: "ip-10-0-0-1", privateIpAddress: "10.0.0.1")],
                    publicDnsName: "ec2-1", publicIp: "203.0.113.1", securityGroups: [SecurityGroup(groupId: "sg-1", groupName: "web")],
                    subnetId: "subnet-1", vpcId: "vpc-1")],
                platform: "linux", productCodes: [ProductCode(code: "c", productType: "marketplace")], tags: [Tag(key: "Name", value: "web")]),
            resourceType: "Instance")
        let action = Action(
            actionType: "AWS_API_CALL",
            awsApiCallAction: AwsApiCallAction(api: "ListBuckets", callerType: "Remote IP", domainDetails: DomainDetails(domain: "d"),
                                               errorCode: "AccessDenied", userAgent: "ua", remoteIpDetails: remote, serviceName: "s3.amazonaws.com",
                                               remoteAccountDetails: RemoteAccountDetails(accountId: "111122223333", affiliated: false),
                                               affectedResources: ["AWS::S3::Bucket": "b"]),
            dnsRequestAction: DnsRequestAction(domain: "x.example", protocol: "UDP", blocked: false, domainWithSuffix: "example", vpcOwnerAccountId: "123456789012"),
            networkConnectionAction: NetworkConnectionAction(
                blocked: false, connectionDirection: "OUTBOUND", localPortDetails: LocalPortDetails(port: 1, portName: "Unknown"), protocol: "TCP",
                localIpDetails: LocalIpDetails(ipAddressV4: "10.0.0.1", ipAddressV6: "2001:db8::1"), localNetworkInterface: "eni-1",
                remoteIpDetails: remote, remotePortDetails: RemotePortDetails(port: 22, portName: "SSH")),
            portProbeAction: PortProbeAction(blocked: false, portProbeDetails: [PortProbeDetail(
                localPortDetails: LocalPortDetails(port: 22, portName: "SSH"), localIpDetails: LocalIpDetails(ipAddressV4: "10.0.0.1"), remoteIpDetails: remote)]))
        let anomaly = AnomalyObject(profileSubtype: "UNSEEN", observations: Observations(text: ["ListBuckets"]))
        let service = Service(
            action: action,
            evidence: Evidence(threatIntelligenceDetails: [ThreatIntelligenceDetail(threatListName: "list", threatNames: ["tor"], threatFileSha256: "ab")]),
            archived: false, count: 2, detectorId: "d", eventFirstSeen: "2023-11-14T22:15:00.000Z", eventLastSeen: "2023-11-14T22:16:00.000Z",
            resourceRole: "TARGET", serviceName: "guardduty", userFeedback: "USEFUL", additionalInfo: ServiceAdditionalInfo(value: "{}"),
            featureName: "CloudTrail",
            detection: Detection(anomaly: Anomaly(profiles: ["unusual": ["api": [anomaly]]],
                                                  unusual: AnomalyUnusual(behavior: ["api": ["ListBuckets": anomaly]]))))
        return Finding(accountId: "123456789012", arn: "arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f", confidence: 5,
                       createdAt: "2023-11-14T22:15:00.000Z", description: "d", id: "f", region: "us-east-1", resource: resource,
                       service: service, severity: 5, title: "t", type: "Recon:IAMUser/MaliciousIPCaller", updatedAt: "2023-11-14T22:16:00.000Z")
    }()

    @Test func everyModelMemberMatchesBotocore() throws {
        let result = try VigilProcess.validateWithBotocore(try FindingsOutput.json([Self.everyMember]))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1 findings checked"))
    }

    @Test func findingsFromTheCorporaMatchBotocore() throws {
        var events = try DetectionHarness.corpusEvents("corpora/panther_cloudtrail_tests.jsonl")
        events += try DetectionHarness.corpusEvents("corpora/streamalert_cloudtrail_tests.jsonl")
        events = DetectionHarness.scannable(events)
        let findings = try DetectionHarness.findings(cloudTrail: events, detectors: LogScan.builtInDetectors())
        let types = Set(findings.map(\.type))
        #expect(types.count >= 6, "\(types)")
        let result = try VigilProcess.validateWithBotocore(try FindingsOutput.json(findings))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    /// SigmaHQ's 57 AWS rules beside the built-in detectors, over the same corpora: every rule
    /// finding is GuardDuty-shaped too.
    @Test func findingsOfSigmaRulesMatchBotocore() throws {
        var events = try DetectionHarness.corpusEvents("corpora/panther_cloudtrail_tests.jsonl")
        events += try DetectionHarness.corpusEvents("corpora/streamalert_cloudtrail_tests.jsonl")
        events = DetectionHarness.scannable(events)
        let rules = RuleSet(paths: [SharedData.path("sigma/rules")])
        let findings = try DetectionHarness.findings(cloudTrail: events, detectors: LogScan.builtInDetectors() + rules.makeDetectors())
        let ruleTypes = Set(findings.map(\.type).filter { $0.contains("/Sigma.") })
        #expect(ruleTypes.count >= 20, "\(ruleTypes)")
        let result = try VigilProcess.validateWithBotocore(try FindingsOutput.json(findings))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    /// One principal's backdoor key, admin policy and deleted flow logs — through the real reader,
    /// engine, rule pack and correlator — make an attack sequence, GuardDuty-shaped.
    @Test func attackSequencesMatchBotocore() throws {
        func call(_ minute: Int, _ source: String, _ name: String, _ parameters: [String: Any]) -> [String: Any] {
            ["eventVersion": "1.09", "eventTime": String(format: "2026-11-02T03:%02d:00Z", minute), "eventSource": source, "eventName": name,
             "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.23", "userAgent": "aws-cli/2.15.0", "eventID": "seq-\(minute)",
             "eventType": "AwsApiCall", "recipientAccountId": "111122223333", "requestParameters": parameters,
             "responseElements": name == "CreateAccessKey" ? ["accessKey": ["userName": "bob", "accessKeyId": "AKIABOB"]] : [:],
             "userIdentity": ["type": "IAMUser", "principalId": "AIDAMALLORY", "arn": "arn:aws:iam::111122223333:user/mallory",
                              "accountId": "111122223333", "accessKeyId": "AKIAMALLORY", "userName": "mallory"]]
        }
        let events = [call(0, "iam.amazonaws.com", "CreateAccessKey", ["userName": "bob"]),
                      call(5, "iam.amazonaws.com", "AttachUserPolicy", ["userName": "bob", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"]),
                      call(9, "ec2.amazonaws.com", "DeleteFlowLogs", ["flowLogIds": ["fl-1"]])]
        let pack = RuleSet(paths: [try #require(RuleSet.packFolder)])
        let scan = LogScan(detectors: LogScan.builtInDetectors() + pack.makeDetectors())
        let lines = try events.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n")
        var bytes = Array(lines.utf8)
        bytes.withUnsafeMutableBytes { _ = scan.reader.read(bytes: UnsafeRawBufferPointer($0), path: "sequence.jsonl", into: scan.router) }
        let findings = scan.findings
        let sequence = try #require(findings.first { $0.type == "AttackSequence:IAM/CompromisedCredentials" }, "\(findings.map(\.type))")
        #expect(sequence.service?.detection?.sequence?.signals.count == 3)
        #expect(findings.filter { $0.type != sequence.type }.allSatisfy { $0.associatedAttackSequenceArn == sequence.arn })
        let result = try VigilProcess.validateWithBotocore(try FindingsOutput.json(findings))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test func validatorRejectsWhatBotocoreDoesNotDefine() throws {
        var json = try FindingsOutput.json([Self.everyMember])
        json = json.replacingOccurrences(of: "\"schemaVersion\"", with: "\"schemaVersionX\"")
        json = json.replacingOccurrences(of: "\"count\" : 2", with: "\"count\" : \"2\"")
        let result = try VigilProcess.validateWithBotocore(json)
        #expect(result.status == 1)
        #expect(result.stdout.contains("unknown member schemaVersionX"))
        #expect(result.stdout.contains("missing required member schemaVersion"))
        #expect(result.stdout.contains("expected integer"))
    }
}
