import Foundation
import Testing
@testable import VigilDetection
import VigilGeo
import VigilModel
import VigilSimulation
import VigilTesting

/// Learned baselines: principal profiles and their anomalies, console logins, instance credentials.
@Suite struct PrincipalBaselineTests {
    static let day: Int64 = 86_400
    static let t0: Int64 = 1_790_000_000 - 1_790_000_000 % 86_400  // a midnight
    static let home = "73.162.5.10"        // Comcast, San Francisco (simulated geography)
    static let abroad = "95.24.8.8"        // Beeline, Moscow
    static let cli = "aws-cli/2.17.20 Python/3.11.9 Darwin/23.6.0 exe/x86_64 prompt/off"
    static let boto = "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.8.0-45-generic lang/python#3.12.3"

    static func event(_ time: Int64, _ api: String, user: String = "alice", source: String = home, agent: String = cli,
                      region: String = "us-east-1", request: [String: Any]? = nil, error: String? = nil,
                      response: [String: Any]? = nil, role: String? = nil) -> [String: Any] {
        var identity: [String: Any] = ["type": "IAMUser", "principalId": "AIDA\(user.uppercased())", "arn": "arn:aws:iam::111122223333:user/\(user)",
                                       "accountId": "111122223333", "accessKeyId": "AKIA\(user.uppercased())0000", "userName": user]
        if let role {
            identity = ["type": "AssumedRole", "principalId": "AROAEXAMPLE:\(user)", "arn": "arn:aws:sts::111122223333:assumed-role/\(role)/\(user)",
                        "accountId": "111122223333", "accessKeyId": "ASIA\(user.uppercased().prefix(12))",
                        "sessionContext": ["sessionIssuer": ["type": "Role", "arn": "arn:aws:iam::111122223333:role/\(role)", "userName": role]]]
        }
        var event: [String: Any] = [
            "eventVersion": "1.09", "userIdentity": identity, "eventTime": Timestamp(secondsSinceEpoch: time).iso8601,
            "eventSource": "iam.amazonaws.com", "eventName": api, "awsRegion": region, "sourceIPAddress": source, "userAgent": agent,
            "eventID": UUID().uuidString.lowercased(), "eventType": "AwsApiCall", "recipientAccountId": "111122223333",
        ]
        if let request { event["requestParameters"] = request }
        if let response { event["responseElements"] = response }
        if let error {
            event["errorCode"] = error
            event["errorMessage"] = "denied"
        }
        return event
    }

    /// Ten days of alice's routine: a few reads from home every working hour.
    static func routine(days: Int = 10, user: String = "alice") -> [[String: Any]] {
        var events: [[String: Any]] = []
        for d in 0..<days {
            for hour in [16, 18, 20] {
                for (i, api) in ["DescribeInstances", "ListBuckets", "GetUser", "ListRoles"].enumerated() {
                    events.append(event(t0 + Int64(d) * day + Int64(hour * 3600 + i * 60), api, user: user))
                }
            }
        }
        return events
    }

    static func detector(_ settings: BaselineSettings = BaselineSettings()) -> AnomalousBehaviour {
        AnomalousBehaviour(settings: settings, geo: SimulatedGeography.enricher())
    }

    @Test func stolenKeyFromAbroadAfterLearningIsAnAnomalyWithItsProfile() throws {
        let attack = [Self.event(Self.t0 + 9 * Self.day + 3 * 3600, "CreateAccessKey", source: Self.abroad, agent: Self.boto)]
        let findings = try DetectionHarness.findings(cloudTrail: Self.routine() + attack, detectors: [Self.detector()])
        #expect(findings.map(\.type) == ["Persistence:IAMUser/AnomalousBehavior"])
        let anomaly = try #require(findings.first?.service?.detection?.anomaly)
        let unusual = try #require(anomaly.unusual?.behavior?["USER"])
        #expect(unusual["API"]?.profileSubtype == "UNSEEN" && unusual["API"]?.observations?.text == ["CreateAccessKey"])
        #expect(unusual["ASN"]?.observations?.text == ["AS8402 Corbina-AS"])
        #expect(unusual["COUNTRY"]?.observations?.text == ["RU"])
        #expect(unusual["USER_AGENT"]?.observations?.text == ["boto3"])
        let profiled = try #require(anomaly.profiles?["USER"]?["ASN"]?.first)
        #expect(profiled.profileSubtype == "FREQUENT" && profiled.observations?.text == ["AS7922 COMCAST-7922"])
        #expect(anomaly.profiles?["ACCOUNT"]?["API"] != nil)
        #expect(findings.first?.resource.accessKeyDetails?.userName == "alice")
    }

    @Test func nothingFiresWithinTheLearningPeriod() throws {
        // The same theft on day 3 of alice's profile: still learning, and so is the account.
        let early = [Self.event(Self.t0 + 3 * Self.day + 3 * 3600, "CreateAccessKey", source: Self.abroad, agent: Self.boto)]
        #expect(try DetectionHarness.findings(cloudTrail: Self.routine(days: 3) + early, detectors: [Self.detector()]).isEmpty)
        // A longer learning period, configured, holds back day 9 as well.
        var settings = BaselineSettings()
        settings.learningDays = 14
        let late = [Self.event(Self.t0 + 9 * Self.day + 3 * 3600, "CreateAccessKey", source: Self.abroad, agent: Self.boto)]
        #expect(try DetectionHarness.findings(cloudTrail: Self.routine() + late, detectors: [Self.detector(settings)]).isEmpty)
    }

    @Test func usualAndSingleChangeBehaviourRaisesNothing() throws {
        let t = Self.t0 + 9 * Self.day + 17 * 3600
        let calm = [
            Self.event(t, "ListRoles"),                                        // routine
            Self.event(t + 60, "ListRoles", source: Self.abroad),              // travelling, same API and tool
            Self.event(t + 120, "GetUser", agent: Self.boto),                  // a new tool at home
            Self.event(t + 180, "ListUsers"),                                  // a new discovery API at home
        ]
        #expect(try DetectionHarness.findings(cloudTrail: Self.routine() + calm, detectors: [Self.detector()]).isEmpty)
    }

    @Test func anAPINobodyInTheAccountCallsIsUnusualAlone() throws {
        let t = Self.t0 + 9 * Self.day + 17 * 3600
        let findings = try DetectionHarness.findings(cloudTrail: Self.routine() + [Self.event(t, "StopLogging")], detectors: [Self.detector()])
        #expect(findings.map(\.type) == ["DefenseEvasion:IAMUser/AnomalousBehavior"])
    }

    @Test func unusualDeploymentIsAnImpactAnomaly() throws {
        var events: [[String: Any]] = []
        for d in 0..<9 {
            for h in 0..<4 {
                events.append(Self.event(Self.t0 + Int64(d) * Self.day + Int64(h * 3600), "RunInstances", user: "ci", source: "3.80.1.1",
                                         request: ["instanceType": "t3.small", "minCount": 2, "maxCount": 2], role: "deploy"))
            }
        }
        let t = Self.t0 + 9 * Self.day + 3600
        let cases: [([String: Any], Bool)] = [
            (["instanceType": "t3.small", "minCount": 2, "maxCount": 2], false),
            (["instanceType": "p3.16xlarge", "minCount": 1, "maxCount": 1], true),
            (["instanceType": "t3.small", "minCount": 40, "maxCount": 40], true),
        ]
        for (request, fires) in cases {
            let launch = Self.event(t, "RunInstances", user: "ci", source: "3.80.1.1", request: request, role: "deploy")
            let findings = try DetectionHarness.findings(cloudTrail: events + [launch], detectors: [Self.detector()])
            #expect(findings.map(\.type) == (fires ? ["Impact:IAMUser/AnomalousBehavior"] : []), "\(request)")
        }
        let elsewhere = Self.event(t, "RunInstances", user: "ci", source: "3.80.1.1", region: "ap-southeast-1",
                                   request: ["instanceType": "t3.small", "minCount": 2, "maxCount": 2], role: "deploy")
        let findings = try DetectionHarness.findings(cloudTrail: events + [elsewhere], detectors: [Self.detector()])
        #expect(findings.first?.service?.detection?.anomaly?.unusual?.behavior?["USER"]?["REGION"]?.observations?.text == ["ap-southeast-1"])
    }

    @Test func learnedStateSurvivesSaveAndRestore() throws {
        let learner = Self.detector()
        _ = try DetectionHarness.findings(cloudTrail: Self.routine(), detectors: [learner])
        let saved = try learner.saveState()
        let restored = Self.detector()
        try restored.restoreState(saved)
        #expect(restored.profileCount == learner.profileCount && restored.profileCount == 2)
        let attack = [Self.event(Self.t0 + 10 * Self.day, "CreateAccessKey", source: Self.abroad, agent: Self.boto)]
        #expect(try DetectionHarness.findings(cloudTrail: attack, detectors: [restored]).map(\.type) == ["Persistence:IAMUser/AnomalousBehavior"])
        #expect(try DetectionHarness.findings(cloudTrail: attack, detectors: [Self.detector()]).isEmpty)
        #expect(throws: LearnedStateError.self) { try Self.detector().restoreState(Data("{\"version\":2}".utf8)) }
    }

    @Test func profilesAreBoundedAndAged() throws {
        var settings = BaselineSettings()
        settings.maxProfiles = 100
        settings.retireAfterDays = 5
        let detector = Self.detector(settings)
        var events: [[String: Any]] = []
        for i in 0..<400 { events.append(Self.event(Self.t0 + Int64(i), "GetUser", user: "user\(i)")) }
        _ = try DetectionHarness.findings(cloudTrail: events, detectors: [detector])
        #expect(detector.profileCount <= 100)
        _ = try DetectionHarness.findings(cloudTrail: [Self.event(Self.t0 + 7 * Self.day, "GetUser", user: "late")], detectors: [detector])
        #expect(detector.profileCount == 2)  // the late user and its account: the rest were not seen for 5 days
        // A full profile's size: every table at capacity.
        var profile = BehaviourProfile(name: "x", time: 0)
        var values = FeatureValues()
        for i in 0..<200 {
            for feature in ProfileFeature.allCases { values[feature] = Int32(i) }
            profile.learn(time: Int64(i), values: values, launchCount: 1)
        }
        let entries = ProfileFeature.allCases.map { profile[$0].ids.count }.reduce(0, +)
        #expect(entries == ProfileFeature.allCases.map(\.capacity).reduce(0, +))
        #expect(entries * 8 + 24 * 4 < 2_000)
    }
}

@Suite struct LoginAndCredentialTests {
    typealias P = PrincipalBaselineTests

    static func login(_ time: Int64, from source: String, success: Bool = true, user: String = "erin") -> [String: Any] {
        var e = P.event(time, "ConsoleLogin", user: user, source: source, agent: "Mozilla/5.0 (X11; Linux x86_64)",
                        response: ["ConsoleLogin": success ? "Success" : "Failure"])
        e["eventSource"] = "signin.amazonaws.com"
        e["eventType"] = "AwsConsoleSignIn"
        if !success { e["errorMessage"] = "Failed authentication" }
        return e
    }

    @Test func impossibleTravelBetweenConsoleLogins() throws {
        let geo = SimulatedGeography.enricher()
        let london = "86.128.1.1", saoPaulo = "189.10.1.1", tokyo = "153.156.1.1"
        let fast = try DetectionHarness.findings(cloudTrail: [Self.login(P.t0, from: london), Self.login(P.t0 + 2400, from: saoPaulo)],
                                                 detectors: [ConsoleLoginTravel(geo: geo)])
        #expect(fast.map(\.type) == ["UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B"])
        let info = fast.first?.service?.additionalInfo?.value ?? ""
        let distance = try #require(info.firstRange(of: "\"distanceKm\":\"").map { Int(info[$0.upperBound...].prefix(4)) ?? 0 })
        #expect((9_000...10_000).contains(distance))  // London to São Paulo: about 9,500 km
        // A real flight, and a failed login, are not travel.
        #expect(try DetectionHarness.findings(cloudTrail: [Self.login(P.t0, from: london), Self.login(P.t0 + 14 * 3600, from: tokyo)],
                                              detectors: [ConsoleLoginTravel(geo: geo)]).isEmpty)
        #expect(try DetectionHarness.findings(cloudTrail: [Self.login(P.t0, from: london), Self.login(P.t0 + 600, from: tokyo, success: false)],
                                              detectors: [ConsoleLoginTravel(geo: geo)]).isEmpty)
    }

    @Test func passwordGuessingAndPermissionProbing() throws {
        // One user's password guessed from many addresses, and one address trying many users.
        let guesses = (0..<10).map { Self.login(P.t0 + Int64($0 * 30), from: "188.120.1.\($0 + 1)", success: false) }
        let spray = (0..<10).map { Self.login(P.t0 + Int64($0 * 30), from: "188.120.9.9", success: false, user: "user\($0)") }
        for attempts in [guesses, spray] {
            let found = try DetectionHarness.findings(cloudTrail: attempts, detectors: [FailedAccess()])
            #expect(found.map(\.type) == ["CredentialAccess:IAMUser/AnomalousBehavior"])
            #expect(found.first?.service?.detection?.anomaly?.unusual?.behavior?["USER"]?["FAILED_CONSOLE_LOGINS"] != nil)
            #expect(try DetectionHarness.findings(cloudTrail: Array(attempts.prefix(9)), detectors: [FailedAccess()]).isEmpty)
        }

        let apis = ["ListUsers", "ListRoles", "ListSecrets", "DescribeInstances", "ListBuckets"]
        let probes = (0..<20).map { P.event(P.t0 + Int64($0 * 10), apis[$0 % 5], source: "45.32.1.1", error: "AccessDenied") }
        #expect(try DetectionHarness.findings(cloudTrail: probes, detectors: [FailedAccess()]).map(\.type) == ["Discovery:IAMUser/AnomalousBehavior"])
        let retries = (0..<30).map { P.event(P.t0 + Int64($0 * 10), "ListUsers", error: "AccessDenied") }
        #expect(try DetectionHarness.findings(cloudTrail: retries, detectors: [FailedAccess()]).isEmpty)
    }

    static func instanceCall(_ time: Int64, from source: String, instance: String = "i-0a1b2c3d4e5f60718") -> [String: Any] {
        P.event(time, "DescribeTags", user: instance, source: source, role: "web-role")
    }

    @Test func instanceCredentialsUsedElsewhere() throws {
        let geo = SimulatedGeography.enricher()
        let own = "3.80.7.7", otherEC2 = "54.160.2.2", residential = "95.24.3.3"
        var events = (0..<6).map { Self.instanceCall(P.t0 + Int64($0 * 300), from: own) }
        events.append(Self.instanceCall(P.t0 + 1900, from: "10.0.1.5"))  // a VPC endpoint: private, fine
        events.append(Self.instanceCall(P.t0 + 2 * 3600, from: own))
        #expect(try DetectionHarness.findings(cloudTrail: events, detectors: [InstanceCredentialUse(geo: geo)]).isEmpty)
        let outside = try DetectionHarness.findings(cloudTrail: events + [Self.instanceCall(P.t0 + 3 * 3600, from: residential)],
                                                    detectors: [InstanceCredentialUse(geo: geo)])
        #expect(outside.map(\.type) == ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"])
        let inside = try DetectionHarness.findings(cloudTrail: events + [Self.instanceCall(P.t0 + 3 * 3600, from: otherEC2)],
                                                   detectors: [InstanceCredentialUse(geo: geo)])
        #expect(inside.map(\.type) == ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS"])
        // A role session that is not an instance is not judged.
        let person = [P.event(P.t0, "DescribeTags", user: "alice-session", source: residential, role: "web-role")]
        #expect(try DetectionHarness.findings(cloudTrail: person, detectors: [InstanceCredentialUse(geo: geo)]).isEmpty)
    }
}
