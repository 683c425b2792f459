import Foundation
import Testing
@testable import VigilDetection
import VigilGeo
import VigilModel
import VigilSimulation
import VigilTesting

/// Instance credentials judged by where AWS says its addresses are, and principals' anomalies on
/// behaviour rebuilt from scratch: a support engineer's key stolen, a routine launch that is not.
@Suite struct CredentialPlacementTests {
    typealias P = PrincipalBaselineTests
    static let instance = "i-0a1b2c3d4e5f60718"

    /// AWS's published ranges for a few prefixes, in ip-ranges.json's own shape (written here, not copied).
    static let ranges = try! AWSIPRanges(json: Data("""
        {"syncToken":"1","createDate":"2026-11-30-00-00-00","prefixes":[
         {"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"},
         {"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"EC2","network_border_group":"us-east-1"},
         {"ip_prefix":"54.160.0.0/16","region":"us-east-1","service":"EC2","network_border_group":"us-east-1"},
         {"ip_prefix":"13.36.0.0/14","region":"eu-west-3","service":"EC2","network_border_group":"eu-west-3"},
         {"ip_prefix":"52.216.0.0/15","region":"us-east-1","service":"S3","network_border_group":"us-east-1"}],
         "ipv6_prefixes":[{"ipv6_prefix":"2600:1f18::/33","region":"us-east-1","service":"EC2","network_border_group":"us-east-1"}]}
        """.utf8))

    /// The simulator's geography, which also places two anycast resolvers (so it is known to tell networks).
    struct PlacingGeography: GeoDatabase {
        let name = "simulated geography with anycast"
        func locate(_ address: IPAddress) -> IPLocation? {
            if address == IPAddress("8.8.8.8") { return IPLocation(countryCode: "US", asn: 15169, asnOrganization: "GOOGLE") }
            return SimulatedGeography.Database().locate(address)
        }
    }

    static func call(_ time: Int64, from source: String, api: String = "ListBuckets", region: String = "us-east-1",
                     service: String = "s3.amazonaws.com") -> [String: Any] {
        var event = P.event(time, api, user: instance, source: source, region: region, role: "web-role")
        event["eventSource"] = service
        return event
    }

    static func types(_ events: [[String: Any]], geo: IPEnricher?) throws -> [String] {
        try DetectionHarness.findings(cloudTrail: events, detectors: [InstanceCredentialUse(geo: geo)]).map(\.type)
    }

    @Test func aStolenSessionsFirstAddressIsNeverLearnedWhenItIsNotAWSs() throws {
        // SSRF → IMDS → S3: the stolen session's very first calls come from an address no database places.
        let stolen = [Self.call(P.t0, from: "185.220.70.1"), Self.call(P.t0 + 5, from: "185.220.70.1", api: "GetObject")]
        let outside = ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"]
        #expect(try Self.types(stolen, geo: IPEnricher(databases: [SimulatedGeography.Database()], awsRanges: Self.ranges, countryNames: [:])) == outside)
        #expect(try Self.types(stolen, geo: IPEnricher(databases: [PlacingGeography()], countryNames: [:])) == outside)
        // The instance's own first calls, from an EC2 address of its region, are learned and quiet, with either source of facts.
        let own = (0..<5).map { Self.call(P.t0 + Int64($0 * 60), from: "3.80.7.7") }
        #expect(try Self.types(own, geo: IPEnricher(databases: [SimulatedGeography.Database()], awsRanges: Self.ranges, countryNames: [:])).isEmpty)
        #expect(try Self.types(own, geo: IPEnricher(databases: [PlacingGeography()], countryNames: [:])).isEmpty)
        // With nothing to tell by (no databases), the first hour is learned as before.
        #expect(try Self.types(stolen, geo: nil).isEmpty)
    }

    @Test func aFirstSightingFromAnEC2AddressOfAnotherRegionIsInsideAWS() throws {
        // The session's first call is to us-east-1's EC2 from an EC2 address AWS places in eu-west-3.
        let geo = IPEnricher(databases: [SimulatedGeography.Database()], awsRanges: Self.ranges, countryNames: [:])
        let elsewhere = [Self.call(P.t0, from: "13.37.1.9", api: "DescribeInstances", service: "ec2.amazonaws.com")]
        #expect(try Self.types(elsewhere, geo: geo) == ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS"])
        // A global service's events say us-east-1 whatever the caller's region: not evidence.
        let global = [Self.call(P.t0, from: "13.37.1.9", api: "GetUser", region: "us-east-1", service: "iam.amazonaws.com")]
        #expect(try Self.types(global, geo: geo).isEmpty)
        // Calls to eu-west-3 from that address are the instance at home.
        let home = [Self.call(P.t0, from: "13.37.1.9", api: "DescribeInstances", region: "eu-west-3", service: "ec2.amazonaws.com")]
        #expect(try Self.types(home, geo: geo).isEmpty)
    }

    @Test func theAccountsOwnAddressesAreEveryInstancesOwn() throws {
        let geo = IPEnricher(databases: [SimulatedGeography.Database()], awsRanges: Self.ranges, countryNames: [:])
        var events = (0..<6).map { Self.call(P.t0 + Int64($0 * 300), from: "3.80.7.7") }
        // A day later the account allocates an Elastic IP and puts a NAT gateway on it; the instance's calls move to it.
        var allocate = P.event(P.t0 + 86_400, "AllocateAddress", user: "admin", source: P.home, response: ["publicIp": "54.160.9.9", "allocationId": "eipalloc-1", "domain": "vpc"])
        allocate["eventSource"] = "ec2.amazonaws.com"
        var nat = P.event(P.t0 + 86_460, "CreateNatGateway", user: "admin", source: P.home,
                          response: ["CreateNatGatewayResponse": ["natGateway": ["natGatewayId": "nat-1", "natGatewayAddressSet": ["item": [["allocationId": "eipalloc-1", "publicIp": "54.160.9.9"]]]]]])
        nat["eventSource"] = "ec2.amazonaws.com"
        events += [allocate, nat]
        events += (0..<6).map { Self.call(P.t0 + 86_600 + Int64($0 * 300), from: "54.160.9.9") }
        #expect(try Self.types(events, geo: geo).isEmpty)
        // Without the account's own record of that address, the move is what stolen credentials look like.
        let unexplained = events.filter { ($0["eventName"] as? String) != "AllocateAddress" && ($0["eventName"] as? String) != "CreateNatGateway" }
        #expect(try Self.types(unexplained, geo: geo) == ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS"])
    }

    @Test func aSupportEngineersKeyUsedFromAbroadForNewInitialAccessAPIs() throws {
        let office = "86.128.4.4"  // BT, London
        let macCLI = "aws-cli/2.15.0 Python/3.11.6 Darwin/23.1.0 exe/x86_64 prompt/off command/ssm.start-session"
        let windowsCLI = "aws-cli/2.15.0 Python/3.11.6 Windows/10 exe/AMD64 prompt/off command/ecr.get-login-password"
        var events: [[String: Any]] = []
        for d in 0..<14 where d % 7 < 5 {
            for (i, hour) in [9, 11, 14, 16].enumerated() {
                let t = P.t0 + Int64(d) * P.day + Int64(hour * 3600 + i * 120)
                var session = P.event(t, "StartSession", user: "sam", source: office, agent: macCLI, request: ["target": "i-0bastion\(i % 2)"])
                session["eventSource"] = "ssm.amazonaws.com"
                events.append(session)
                var describe = P.event(t + 30, "DescribeInstanceInformation", user: "sam", source: office, agent: macCLI)
                describe["eventSource"] = "ssm.amazonaws.com"
                events.append(describe)
            }
        }
        let t = P.t0 + 16 * P.day + 4 * 3600 + 31 * 60
        var token = P.event(t, "GetAuthorizationToken", user: "sam", source: "189.10.3.3", agent: windowsCLI)  // Oi, São Paulo
        token["eventSource"] = "ecr.amazonaws.com"
        var attack = [token]
        for i in 0..<5 {
            var session = P.event(t + Int64(60 + i * 30), "StartSession", user: "sam", source: "189.10.3.3", agent: windowsCLI, request: ["target": "i-0app\(i)"])
            session["eventSource"] = "ssm.amazonaws.com"
            attack.append(session)
        }
        let findings = try DetectionHarness.findings(cloudTrail: events + attack, detectors: [P.detector()])
        #expect(findings.map(\.type) == ["InitialAccess:IAMUser/AnomalousBehavior"])
        #expect(findings.first?.resource.accessKeyDetails?.userName == "sam")
        // The same two weeks and an ordinary day after them raise nothing.
        var routineDay: [[String: Any]] = []
        for (i, hour) in [9, 14].enumerated() {
            var session = P.event(P.t0 + 15 * P.day + Int64(hour * 3600), "StartSession", user: "sam", source: office, agent: macCLI, request: ["target": "i-0bastion\(i)"])
            session["eventSource"] = "ssm.amazonaws.com"
            routineDay.append(session)
        }
        #expect(try DetectionHarness.findings(cloudTrail: events + routineDay, detectors: [P.detector()]).isEmpty)
    }

    @Test func aRoutineLaunchByItsUsualLauncherIsNotAnImpactAnomaly() throws {
        // A build role launches the same type in the same region once or twice a day, among its other calls.
        var events: [[String: Any]] = []
        for d in 0..<14 {
            let base = P.t0 + Int64(d) * P.day + 10 * 3600
            for i in 0..<30 {
                events.append(P.event(base + Int64(i * 100), ["DescribeInstances", "DescribeImages", "DescribeSubnets"][i % 3], user: "build-\(d)",
                                      source: "3.80.1.1", agent: P.boto, role: "builder"))
            }
            for k in 0..<(d % 3 == 0 ? 2 : 1) {
                events.append(P.event(base + 3_500 + Int64(k * 600), "RunInstances", user: "build-\(d)", source: "3.80.1.1", agent: P.boto,
                                      request: ["instanceType": "c6i.2xlarge", "minCount": 1, "maxCount": 1], role: "builder"))
            }
        }
        let routine = P.event(P.t0 + 14 * P.day + 10 * 3600 + 3_500, "RunInstances", user: "build-14", source: "3.80.1.1", agent: P.boto,
                              request: ["instanceType": "c6i.2xlarge", "minCount": 1, "maxCount": 1], role: "builder")
        #expect(try DetectionHarness.findings(cloudTrail: events + [routine], detectors: [P.detector()]).isEmpty)
        // A launcher that does nothing but launch (too few calls for a profile of its own to be judged by)
        // while the account's other principals launch other types all day: its own habit is not unusual.
        var busy: [[String: Any]] = []
        for d in 0..<14 {
            let base = P.t0 + Int64(d) * P.day
            busy.append(P.event(base + 6 * 3600, "RunInstances", user: "nightly-\(d)", source: "3.80.1.2", agent: P.boto,
                                request: ["instanceType": "r6i.4xlarge", "minCount": 1, "maxCount": 1], role: "nightly-batch"))
            for h in 8..<18 {
                for i in 0..<6 {
                    busy.append(P.event(base + Int64(h * 3600 + i * 300), i < 3 ? "RunInstances" : "DescribeInstances", user: "ci-\(d)-\(h)",
                                        source: "3.80.1.1", agent: P.boto, request: ["instanceType": "t3.micro", "minCount": 1, "maxCount": 1], role: "ci"))
                }
            }
        }
        let nightly = P.event(P.t0 + 14 * P.day + 6 * 3600, "RunInstances", user: "nightly-14", source: "3.80.1.2", agent: P.boto,
                              request: ["instanceType": "r6i.4xlarge", "minCount": 1, "maxCount": 1], role: "nightly-batch")
        #expect(try DetectionHarness.findings(cloudTrail: busy + [nightly], detectors: [P.detector()]).isEmpty)
        // A weekly launcher, too quiet for a profile of its own (its launches are all it does), in a busy account whose
        // people and automation work elsewhere — another network, another region: its habits are rare for the
        // account, but they are its habits.
        var office: [[String: Any]] = []
        for d in 0..<14 {
            let base = P.t0 + Int64(d) * P.day
            if d % 7 == 0 {
                office.append(P.event(base + 5 * 3600, "RunInstances", user: "launch-\(d)", source: "3.80.1.3", agent: P.boto, region: "us-west-2",
                                      request: ["instanceType": "m6i.large", "minCount": 1, "maxCount": 1], role: "launcher"))
            }
            for h in 0..<24 {
                for (i, api) in ["DescribeInstances", "ListBuckets", "GetUser", "ListRoles"].enumerated() {
                    office.append(P.event(base + Int64(h * 3600 + i * 60), api, user: ["alice", "bob", "carol"][(h + i) % 3]))
                }
            }
        }
        let daily = P.event(P.t0 + 14 * P.day + 5 * 3600, "RunInstances", user: "launch-14", source: "3.80.1.3", agent: P.boto, region: "us-west-2",
                            request: ["instanceType": "m6i.large", "minCount": 1, "maxCount": 1], role: "launcher")
        let weekly = try DetectionHarness.findings(cloudTrail: office + [daily], detectors: [P.detector()])
        #expect(weekly.isEmpty, "\(weekly.map { $0.description ?? "" })")
        // The same role launching GPUs in another region is still an unusual deployment.
        let gpus = P.event(P.t0 + 14 * P.day + 10 * 3600 + 3_500, "RunInstances", user: "build-14", source: "3.80.1.1", agent: P.boto,
                           region: "ap-south-1", request: ["instanceType": "p4d.24xlarge", "minCount": 8, "maxCount": 8], role: "builder")
        #expect(try DetectionHarness.findings(cloudTrail: events + [gpus], detectors: [P.detector()]).map(\.type) == ["Impact:IAMUser/AnomalousBehavior"])
    }
}
