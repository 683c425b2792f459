import Foundation
import VigilModel

/// Writes a realistic multi-account AWS estate's logs — CloudTrail, VPC Flow Logs and Route 53
/// Resolver query logs, hour by hour in the S3 layout — with documented attacks injected at known
/// times, and a manifest of those attacks (`attacks.json`). Deterministic: the same options give
/// the same files.
///
/// The estate, per account: four people with personas (developer, administrator, analyst), home
/// networks and time zones, working hours and weekends, console logins with the odd mistyped
/// password, their usual APIs and now and then one they have not used before; one of them travels
/// abroad for three days. A CI role deploys every half hour from AWS addresses, launching and
/// terminating small instances every night. Four instances (web, app, worker, bastion) call AWS
/// with their instance-role credentials, serve and fetch traffic in a daily cycle (the worker
/// uploads gigabytes to S3 every night), resolve their usual domains, and are knocked on by
/// internet background scanners. AWS services act on the account's behalf.
///
/// The attacks (``Attack``) start after the learning period: password guessing, a stolen access
/// key used from abroad (discovery, persistence, privilege escalation), permission probing,
/// impossible travel, instance credentials used outside and inside AWS, trail tampering, a
/// crypto-mining deployment and the miner's pool connection, bulk exfiltration, an SSH brute
/// force, a port scan, a DNS tunnel and a command-and-control channel on an unusual port.
public struct EstateSimulator {
    public struct Options: Sendable {
        public var days = 14
        public var seed: UInt64 = 1
        /// Midnight UTC of the first day.
        public var start = Timestamp(iso8601: "2026-10-01T00:00:00Z")!
        public var accounts = 3
        /// Days before the first attack (the detectors' learning period is 7 by default).
        public var learningDays = 7
        public init() {}
    }

    /// An injected attack and the findings that detect it.
    public struct Attack: Codable, Sendable, Equatable {
        public var name: String
        public var description: String
        public var accountId: String
        public var start: String
        public var end: String
        /// A finding of one of these types, in this account, overlapping the attack's time, detects it.
        public var expected: [String]
        /// Further types the attack legitimately raises (not counted as false findings).
        public var related: [String]
        /// What a finding of the attack mentions (the attacker's address, the tunnel's domain): a
        /// finding explains the attack only if it contains one of these.
        public var markers: [String]
    }

    /// What was written.
    public struct Manifest: Codable, Sendable {
        public var start: String
        public var end: String
        /// When the learning period ends (findings before it are not judged).
        public var learningEnds: String
        public var accounts: [String]
        public var attacks: [Attack]
        /// Benign records written after the learning period, by data source (``DataSource`` names).
        public var benignAfterLearning: [String: Int]
        /// Every record written, by data source.
        public var records: [String: Int]
        /// Benign changes of behaviour after the learning period (their records count as benign).
        public var benignChanges: [String]
        public var files: Int
    }

    let options: Options
    var random: SplitMix64
    var accounts: [Account] = []

    public init(options: Options = Options()) {
        self.options = options
        random = SplitMix64(state: 0x5EED_0000 ^ options.seed)
        for index in 0..<options.accounts { accounts.append(makeAccount(index)) }
    }

    // MARK: - The estate

    enum Persona: CaseIterable { case developer, administrator, analyst }

    struct Person {
        var name: String
        var accountId: String
        var accessKey: String
        var principalId: String
        var persona: Persona
        var home: SimulatedGeography.Network
        var address: String
        /// Hours to add to UTC for local time.
        var utcOffset: Int
        var startHour: Int
        var usual: [String]
        var usesConsole: Bool
        var travel: (network: SimulatedGeography.Network, firstDay: Int, lastDay: Int)?
        /// The first day the person works here (a new hire joins after the learning period).
        var firstDay = 0
        /// From this day on, the person uses the CLI instead of the console.
        var switchesToCLI: Int?
        var arn: String { "arn:aws:iam::\(accountId):user/\(name)" }
        static let travelDays = 9...11
    }

    enum InstanceKind: CaseIterable { case web, app, worker, bastion }

    struct Instance {
        var id: String
        var interface: String
        var privateAddress: String
        var publicAddress: String
        var kind: InstanceKind
        var role: String
        var accessKey: String
        var dependencies: [(address: String, port: Int, megabytes: Double)]
        var domains: [String]
    }

    struct Account {
        var id: String
        var region = "us-east-1"
        var vpc: String
        var subnet: String
        var flowLog: String
        var people: [Person]
        var instances: [Instance]
        var ciAddresses: [String]
    }

    static let names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj"]
    static let homes: [(SimulatedGeography.Network, Int)] = [
        (SimulatedGeography.comcast, -7), (SimulatedGeography.comcastEast, -4), (SimulatedGeography.bt, 1),
        (SimulatedGeography.telekom, 2), (SimulatedGeography.orange, 2), (SimulatedGeography.comcast, -7),
    ]

    static let personaAPIs: [Persona: [String]] = [
        .developer: ["DescribeInstances", "DescribeSecurityGroups", "DescribeSubnets", "DescribeVpcs", "DescribeImages",
                     "ListBuckets", "GetBucketLocation", "ListFunctions", "GetFunction", "UpdateFunctionCode",
                     "DescribeLogGroups", "FilterLogEvents", "GetLogEvents", "GetParameter", "DescribeParameters",
                     "StartInstances", "StopInstances", "CreateTags", "DescribeVolumes", "GetCallerIdentity", "DescribeAlarms",
                     "DescribeStacks", "ListStackResources", "DescribeKeyPairs"],
        .administrator: ["ListUsers", "GetUser", "ListRoles", "GetRole", "ListAttachedUserPolicies", "ListPolicies",
                         "DescribeTrails", "GetTrailStatus", "LookupEvents", "ListBuckets", "GetBucketPolicy", "GetBucketAcl",
                         "DescribeInstances", "DescribeSecurityGroups", "AuthorizeSecurityGroupIngress", "ListKeys",
                         "ListSecrets", "ListGroups", "GetAccountSummary", "DescribeFlowLogs", "ListAccessKeys", "GetLoginProfile"],
        .analyst: ["ListBuckets", "GetBucketLocation", "GetBucketAcl", "DescribeLogGroups", "FilterLogEvents", "GetCallerIdentity",
                   "StartQueryExecution", "GetQueryExecution", "GetQueryResults", "ListWorkGroups", "ListDatabases",
                   "GetTable", "ListDashboards", "GetDashboard", "ListMetrics", "GetMetricData"],
    ]

    mutating func makeAccount(_ index: Int) -> Account {
        let id = String(repeating: String(index + 1), count: 12)
        var people: [Person] = []
        for p in 0..<4 {
            let name = Self.names[(index * 4 + p) % Self.names.count]
            let (home, offset) = Self.homes[(index * 2 + p) % Self.homes.count]
            let persona = Persona.allCases[(index + p) % 3]
            let pool = Self.personaAPIs[persona]!
            var usual = pool.filter { _ in random.below(100) < 65 }
            if usual.count < 8 { usual = Array(pool.prefix(10)) }
            people.append(Person(
                name: name, accountId: id, accessKey: "AKIA" + random.upper(16), principalId: "AIDA" + random.upper(17),
                persona: persona, home: home, address: home.address(&random), utcOffset: offset, startHour: 8 + random.below(3),
                usual: usual, usesConsole: p % 2 == 0,
                travel: p == 3 ? (SimulatedGeography.ntt, Person.travelDays.lowerBound, Person.travelDays.upperBound) : nil))
        }
        if index == 0 {
            let pool = Self.personaAPIs[.developer]!
            people.append(Person(
                name: "oscar", accountId: id, accessKey: "AKIA" + random.upper(16), principalId: "AIDA" + random.upper(17),
                persona: .developer, home: SimulatedGeography.comcast, address: SimulatedGeography.comcast.address(&random), utcOffset: -7,
                startHour: 9, usual: pool.filter { _ in random.below(100) < 50 }, usesConsole: false, travel: nil,
                firstDay: options.learningDays + 2))
        }
        if index == 2 { people[1].switchesToCLI = options.learningDays + 3 }
        var instances: [Instance] = []
        for (k, kind) in InstanceKind.allCases.enumerated() {
            let dependencies: [(String, Int, Double)] = switch kind {
            case .web: [(SimulatedGeography.github.address(&random), 443, 4), (SimulatedGeography.fastly.address(&random), 443, 12)]
            case .app: [(SimulatedGeography.s3.address(&random), 443, 30), (SimulatedGeography.github.address(&random), 443, 2)]
            case .worker: [(SimulatedGeography.s3.address(&random), 443, 60), (SimulatedGeography.fastly.address(&random), 443, 6)]
            case .bastion: [(SimulatedGeography.github.address(&random), 22, 1), (SimulatedGeography.fastly.address(&random), 443, 1)]
            }
            let domains: [String] = switch kind {
            case .web: ["api.github.com.", "registry.npmjs.org.", "cdn.jsdelivr.net.", "s3.us-east-1.amazonaws.com.", "sqs.us-east-1.amazonaws.com."]
            case .app: ["s3.us-east-1.amazonaws.com.", "dynamodb.us-east-1.amazonaws.com.", "api.stripe.com.", "hooks.slack.com.", "sts.amazonaws.com."]
            case .worker: ["s3.us-east-1.amazonaws.com.", "pypi.org.", "files.pythonhosted.org.", "sqs.us-east-1.amazonaws.com.", "logs.us-east-1.amazonaws.com."]
            case .bastion: ["github.com.", "security.ubuntu.com.", "archive.ubuntu.com.", "ssm.us-east-1.amazonaws.com.", "ec2messages.us-east-1.amazonaws.com."]
            }
            instances.append(Instance(
                id: "i-0" + random.hex(16), interface: "eni-0" + random.hex(16), privateAddress: "10.\(index).1.\(10 + k)",
                publicAddress: SimulatedGeography.awsEast.address(&random), kind: kind, role: "\(kind)-role",
                accessKey: "ASIA" + random.upper(16), dependencies: dependencies.map { ($0.0, $0.1, $0.2) }, domains: domains))
        }
        return Account(id: id, vpc: "vpc-0" + random.hex(16), subnet: "subnet-0" + random.hex(16), flowLog: "fl-0" + random.hex(16),
                       people: people, instances: instances,
                       ciAddresses: [SimulatedGeography.awsEast.address(&random), SimulatedGeography.awsEast.address(&random)])
    }

    // MARK: - Writing

    /// The records of one account and hour.
    struct Hour {
        var cloudTrail: [(Int64, String)] = []
        var flows: [(Int64, String)] = []
        var dns: [(Int64, String)] = []
    }

    /// Writes the estate's logs under `folder` (`AWSLogs/…`) and `folder/attacks.json`.
    public mutating func write(to folder: String) throws -> Manifest {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let t0 = options.start.secondsSinceEpoch
        let learningEnds = t0 + Int64(options.learningDays) * 86_400
        var attacks: [Attack] = []
        let (trail, flows, dns) = (DataSource.cloudTrail.rawValue, DataSource.flowLogs.rawValue, DataSource.dns.rawValue)
        var benign = [trail: 0, flows: 0, dns: 0]
        var records = [trail: 0, flows: 0, dns: 0]
        var files = 0
        let attackPlan = plannedAttacks()
        for hour in 0..<(options.days * 24) {
            let start = t0 + Int64(hour) * 3600
            for a in accounts.indices {
                var h = Hour()
                benignHour(account: a, start: start, day: hour / 24, into: &h)
                if start >= learningEnds {
                    benign[trail]! += h.cloudTrail.count
                    benign[flows]! += h.flows.count
                    benign[dns]! += h.dns.count
                }
                for plan in attackPlan where plan.account == a && plan.day * 24 + plan.hour == hour {
                    attacks.append(plan.inject(&self, a, start, &h))
                }
                records[trail]! += h.cloudTrail.count
                records[flows]! += h.flows.count
                records[dns]! += h.dns.count
                files += try writeHour(h, account: accounts[a], start: start, folder: folder)
            }
        }
        let manifest = Manifest(
            start: options.start.iso8601, end: Timestamp(secondsSinceEpoch: t0 + Int64(options.days) * 86_400).iso8601,
            learningEnds: Timestamp(secondsSinceEpoch: learningEnds).iso8601, accounts: accounts.map(\.id),
            attacks: attacks.sorted { $0.start < $1.start }, benignAfterLearning: benign, records: records,
            benignChanges: [
                "day \(options.learningDays + 2): a new developer (oscar) starts in \(accounts[0].id), from a network the account knows",
                "days \(Person.travelDays.lowerBound)–\(Person.travelDays.upperBound): one person per account works from Tokyo",
                "day \(options.learningDays + 3): \(accounts[min(2, accounts.count - 1)].id)'s \(accounts[min(2, accounts.count - 1)].people[1].name) moves from the console to the CLI",
                "day \(options.learningDays + 3): an administrator in \(accounts[1 % accounts.count].id) creates a user with a login, a policy and keys",
                "day \(options.learningDays + 4) on: the CI role in \(accounts.last!.id) launches t3.large instead of t3.small",
            ],
            files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("attacks.json")))
        return manifest
    }

    private func writeHour(_ h: Hour, account: Account, start: Int64, folder: String) throws -> Int {
        let stamp = Timestamp(secondsSinceEpoch: start)
        let (y, m, d) = stamp.civilDate
        let day = String(format: "%04d/%02d/%02d", y, m, d)
        let compact = String(format: "%04d%02d%02dT%02d%02dZ", y, m, d, Int(start % 86_400 / 3600), 0)
        var written = 0
        func write(_ relative: String, _ text: String) throws {
            let path = (folder as NSString).appendingPathComponent(relative)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            written += 1
        }
        let base = "AWSLogs/\(account.id)"
        if !h.cloudTrail.isEmpty {
            let events = h.cloudTrail.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: ",\n")
            try write("\(base)/CloudTrail/\(account.region)/\(day)/\(account.id)_CloudTrail_\(account.region)_\(compact)_sim\(start % 100_000).json",
                      "{\"Records\":[\n\(events)\n]}\n")
        }
        if !h.flows.isEmpty {
            let lines = h.flows.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "\n")
            try write("\(base)/vpcflowlogs/\(account.region)/\(day)/\(account.id)_vpcflowlogs_\(account.region)_\(account.flowLog)_\(compact)_sim.log",
                      Self.flowHeader + lines + "\n")
        }
        if !h.dns.isEmpty {
            let lines = h.dns.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "\n")
            try write("\(base)/vpcdnsquerylogs/\(account.vpc)/\(day)/\(account.vpc)_vpcdnsquerylogs_\(account.id)_\(compact)_sim.log", lines + "\n")
        }
        return written
    }

    static let flowHeader = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path\n"

    // MARK: - Benign behaviour

    /// How busy the hour is for a workload (UTC hour shifted to US Eastern): 0.3 at night, 1 at mid-day.
    static func diurnal(_ start: Int64) -> Double {
        let hour = Double((start % 86_400) / 3600 - 4 + 24).truncatingRemainder(dividingBy: 24)
        return 0.3 + 0.7 * max(0, sin(Double.pi * (hour - 6) / 16))
    }

    static func weekday(_ time: Int64) -> Int { Int(((time / 86_400) + 4) % 7) }  // 0 Sunday

    mutating func benignHour(account a: Int, start: Int64, day: Int, into h: inout Hour) {
        let account = accounts[a]
        for person in account.people { personHour(person, account: account, start: start, day: day, into: &h) }
        ciHour(account, start: start, into: &h)
        // In the second account an administrator onboards a contractor after the learning period.
        if a == 1 % accounts.count, day == options.learningDays + 3, (start % 86_400) / 3600 == 17,
           let admin = account.people.first(where: { $0.persona == .administrator }) {
            for (i, api) in ["CreateUser", "CreateLoginProfile", "AttachUserPolicy", "CreateAccessKey"].enumerated() {
                let t = start + Int64(600 + i * 90)
                h.cloudTrail.append((t, cloudTrail(time: t, account: account, identity: .user(admin), api: api, source: admin.address,
                                                   agent: "console.amazonaws.com")))
            }
        }
        for instance in account.instances {
            instanceCalls(instance, account: account, start: start, into: &h)
            instanceFlows(instance, account: account, start: start, into: &h)
            instanceDNS(instance, account: account, start: start, into: &h)
        }
        // AWS services on the account's behalf.
        for _ in 0..<2 {
            let t = start + Int64(random.below(3600))
            h.cloudTrail.append((t, cloudTrail(time: t, account: account, identity: .service("ec2.amazonaws.com"), api: "AssumeRole",
                                               source: "ec2.amazonaws.com", agent: "ec2.amazonaws.com")))
        }
        // Internet background noise: single probes of well-known ports, refused.
        for _ in 0..<3 {
            let instance = random.pick(account.instances)
            let scanner = random.pick([SimulatedGeography.selectel, SimulatedGeography.beeline, SimulatedGeography.digitalOcean]).address(&random)
            let t = start + Int64(random.below(3600))
            h.flows.append((t, flow(account, instance, src: scanner, dst: instance.privateAddress, srcPort: 40_000 + random.below(20_000),
                                    dstPort: random.pick([22, 23, 3389, 445, 8080]), packets: 1, bytes: 44, time: t, action: "REJECT", direction: "ingress")))
        }
    }

    mutating func personHour(_ person: Person, account: Account, start: Int64, day: Int, into h: inout Hour) {
        let local = start + Int64(person.utcOffset) * 3600
        let localHour = Int((local % 86_400 + 86_400) % 86_400 / 3600)
        let weekday = Self.weekday(local)
        guard day >= person.firstDay, (1...5).contains(weekday), localHour >= person.startHour, localHour < person.startHour + 8 else { return }
        // Absent one working day in twelve, the same whole day.
        var dayDraw = SplitMix64(state: UInt64(local / 86_400) ^ ByteHash.fnv1a(person.name))
        guard dayDraw.below(12) != 0 else { return }
        var network = person.home, address = person.address
        if let travel = person.travel, (travel.firstDay...travel.lastDay).contains(day) {
            network = travel.network
            address = "\(network.prefix.0).\(network.prefix.1).7.\(20 + day)"
        }
        _ = network
        let console = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36"
        if localHour == person.startHour {
            let t = start + Int64(random.below(600))
            if random.below(10) == 0 {
                h.cloudTrail.append((t - 40, consoleLogin(time: t - 40, account: account, person: person, source: address, agent: console, success: false)))
            }
            h.cloudTrail.append((t, consoleLogin(time: t, account: account, person: person, source: address, agent: console, success: true)))
        }
        let calls = 2 + random.below(9)
        for _ in 0..<calls {
            let t = start + Int64(600 + random.below(2900))
            var api = person.usual[min(random.below(person.usual.count), random.below(person.usual.count))]
            if random.below(200) == 0 { api = random.pick(Self.personaAPIs[person.persona]!) }  // now and then, something new
            let console = person.usesConsole && day < (person.switchesToCLI ?? .max)
            let agent = console ? "console.amazonaws.com"
                : "aws-cli/2.17.\(12 + day / 7) Python/3.11.9 Darwin/23.6.0 exe/x86_64 prompt/off command/\(api.lowercased())"
            h.cloudTrail.append((t, cloudTrail(time: t, account: account, identity: .user(person), api: api, source: address, agent: agent)))
        }
    }

    mutating func ciHour(_ account: Account, start: Int64, into h: inout Hour) {
        let agent = "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.173.0"
        let identity = Identity.role(name: "ci-deploy", session: "github-actions-\(start / 1800)", accessKey: "ASIA" + random.upper(16))
        for half in 0..<2 {
            let t = start + Int64(half * 1800 + random.below(300))
            let source = account.ciAddresses[half]
            for api in ["GetCallerIdentity", "DescribeInstances", "DescribeImages", "CreateTags", "GetParameter"] {
                h.cloudTrail.append((t, cloudTrail(time: t, account: account, identity: identity, api: api, source: source, agent: agent)))
            }
        }
        let utcHour = (start % 86_400) / 3600
        if utcHour == 3 {
            // In the last account the nightly test fleet moves to a larger type after the learning period.
            let day = Int((start - options.start.secondsSinceEpoch) / 86_400)
            let type = account.id == accounts.last?.id && day >= options.learningDays + 4 ? "t3.large" : "t3.small"
            let request = #"{"instanceType":"\#(type)","imageId":"ami-0abcdef1234567890","minCount":2,"maxCount":2}"#
            h.cloudTrail.append((start + 120, cloudTrail(time: start + 120, account: account, identity: identity, api: "RunInstances",
                                                         source: account.ciAddresses[0], agent: agent, request: request)))
        }
        if utcHour == 5 {
            h.cloudTrail.append((start + 60, cloudTrail(time: start + 60, account: account, identity: identity, api: "TerminateInstances",
                                                        source: account.ciAddresses[0], agent: agent)))
        }
        if utcHour == 14 && (1...5).contains(Self.weekday(start)) {
            h.cloudTrail.append((start + 900, cloudTrail(time: start + 900, account: account, identity: identity, api: "UpdateFunctionCode",
                                                         source: account.ciAddresses[1], agent: agent)))
        }
    }

    mutating func instanceCalls(_ instance: Instance, account: Account, start: Int64, into h: inout Hour) {
        let agent = "aws-sdk-java/1.12.700 Linux/5.10.223-212.873.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.12+7-LTS java/17.0.12 vendor/Amazon.com_Inc."
        let identity = Identity.role(name: instance.role, session: instance.id, accessKey: instance.accessKey)
        for quarter in 0..<4 {
            let t = start + Int64(quarter * 900 + random.below(600))
            let api = random.pick(["DescribeTags", "GetParameter", "DescribeInstances"])
            h.cloudTrail.append((t, cloudTrail(time: t, account: account, identity: identity, api: api, source: instance.publicAddress, agent: agent)))
        }
    }

    mutating func instanceFlows(_ instance: Instance, account: Account, start: Int64, into h: inout Hour) {
        let busy = Self.diurnal(start)
        if instance.kind == .web {
            let clients = Int(30 * busy) + random.below(6)
            for _ in 0..<clients {
                let client = random.pick([SimulatedGeography.comcast, SimulatedGeography.comcastEast, SimulatedGeography.bt,
                                          SimulatedGeography.telekom, SimulatedGeography.orange, SimulatedGeography.ntt]).address(&random)
                let t = start + Int64(random.below(3540))
                let port = 32_768 + random.below(28_000)
                let packets = 8 + random.below(30)
                h.flows.append((t, flow(account, instance, src: client, dst: instance.privateAddress, srcPort: port, dstPort: 443,
                                        packets: packets, bytes: packets * 90, time: t, direction: "ingress")))
                h.flows.append((t, flow(account, instance, src: instance.privateAddress, dst: client, srcPort: 443, dstPort: port,
                                        packets: packets, bytes: packets * (600 + random.below(900)), time: t, direction: "egress")))
            }
        }
        for dependency in instance.dependencies {
            var megabytes = dependency.megabytes * busy * (0.7 + Double(random.below(60)) / 100)
            if instance.kind == .worker, dependency.port == 443, dependency.megabytes >= 60, (start % 86_400) / 3600 == 6 {
                megabytes = 2500 + Double(random.below(800))  // the nightly upload
            }
            let pieces = max(1, min(12, Int(megabytes / 40) + 1))
            for piece in 0..<pieces {
                let t = start + Int64(piece * (3540 / pieces) + random.below(60))
                let port = 32_768 + random.below(28_000)
                let bytes = Int(megabytes * 1_000_000) / pieces
                let packets = max(4, bytes / 1400)
                h.flows.append((t, flow(account, instance, src: instance.privateAddress, dst: dependency.address, srcPort: port,
                                        dstPort: dependency.port, packets: packets, bytes: bytes, time: t, direction: "egress")))
                h.flows.append((t, flow(account, instance, src: dependency.address, dst: instance.privateAddress, srcPort: dependency.port,
                                        dstPort: port, packets: packets / 2, bytes: packets * 60, time: t, direction: "ingress")))
            }
        }
    }

    mutating func instanceDNS(_ instance: Instance, account: Account, start: Int64, into h: inout Hour) {
        let queries = 6 + Int(14 * Self.diurnal(start)) + random.below(4)
        for _ in 0..<queries {
            let t = start + Int64(random.below(3600))
            h.dns.append((t, dns(account, instance, name: random.pick(instance.domains), time: t)))
        }
    }

    // MARK: - Records

    enum Identity {
        case user(Person)
        case role(name: String, session: String, accessKey: String)
        case service(String)
    }

    func cloudTrail(time: Int64, account: Account, identity: Identity, api: String, source: String, agent: String,
                    region: String? = nil, request: String = "null", error: String? = nil, errorMessage: String? = nil,
                    eventType: String = "AwsApiCall", response: String = "null", additional: String? = nil) -> String {
        var random = SplitMix64(state: UInt64(bitPattern: time) &* 0x9E37 ^ ByteHash.fnv1a(api + source + agent))
        let who: String
        switch identity {
        case .user(let p):
            who = #"{"type":"IAMUser","principalId":"\#(p.principalId)","arn":"\#(p.arn)","accountId":"\#(account.id)","accessKeyId":"\#(p.accessKey)","userName":"\#(p.name)"}"#
        case .role(let name, let session, let key):
            let roleId = "AROA" + String(ByteHash.fnv1a(name) % 1_000_000_000_000, radix: 36).uppercased()
            let delivery = session.hasPrefix("i-") ? #","ec2RoleDelivery":"2.0""# : ""
            who = #"{"type":"AssumedRole","principalId":"\#(roleId):\#(session)","arn":"arn:aws:sts::\#(account.id):assumed-role/\#(name)/\#(session)","accountId":"\#(account.id)","accessKeyId":"\#(key)","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"\#(roleId)","arn":"arn:aws:iam::\#(account.id):role/\#(name)","accountId":"\#(account.id)","userName":"\#(name)"},"attributes":{"creationDate":"\#(Timestamp(secondsSinceEpoch: time - 300).iso8601)","mfaAuthenticated":"false"}\#(delivery)}}"#
        case .service(let name):
            who = #"{"type":"AWSService","invokedBy":"\#(name)"}"#
        }
        var failure = error.map { #","errorCode":"\#($0)""# } ?? ""
        if let message = errorMessage ?? error.map({ _ in "User is not authorized to perform this operation" }) {
            failure += #","errorMessage":"\#(message)""#
        }
        let extra = additional.map { #","additionalEventData":\#($0)"# } ?? ""
        return #"{"eventVersion":"1.09","userIdentity":\#(who),"eventTime":"\#(Timestamp(secondsSinceEpoch: time).iso8601)","eventSource":"\#(Self.service(api))","eventName":"\#(api)","awsRegion":"\#(region ?? account.region)","sourceIPAddress":"\#(source)","userAgent":"\#(agent)"\#(failure),"requestParameters":\#(request),"responseElements":\#(response)\#(extra),"requestID":"\#(random.hex(8))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(12))","eventID":"\#(random.hex(8))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(12))","readOnly":\#(api.hasPrefix("Describe") || api.hasPrefix("List") || api.hasPrefix("Get")),"eventType":"\#(eventType)","managementEvent":true,"recipientAccountId":"\#(account.id)","eventCategory":"Management"}"#
    }

    func consoleLogin(time: Int64, account: Account, person: Person, source: String, agent: String, success: Bool) -> String {
        cloudTrail(time: time, account: account, identity: .user(person), api: "ConsoleLogin", source: source, agent: agent,
                   errorMessage: success ? nil : "Failed authentication", eventType: "AwsConsoleSignIn",
                   response: success ? #"{"ConsoleLogin":"Success"}"# : #"{"ConsoleLogin":"Failure"}"#,
                   additional: #"{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"No"}"#)
    }

    static let services: [String: String] = {
        var table: [String: String] = [:]
        func add(_ service: String, _ names: [String]) { for n in names { table[n] = service } }
        add("iam.amazonaws.com", ["ListUsers", "GetUser", "ListRoles", "GetRole", "ListAttachedUserPolicies", "ListPolicies", "ListGroups",
                                  "GetAccountSummary", "ListAccessKeys", "GetLoginProfile", "CreateUser", "CreateAccessKey", "AttachUserPolicy",
                                  "GetAccountAuthorizationDetails", "CreateLoginProfile", "PutUserPolicy"])
        add("sts.amazonaws.com", ["GetCallerIdentity", "AssumeRole", "GetSessionToken"])
        add("s3.amazonaws.com", ["ListBuckets", "GetBucketLocation", "GetBucketPolicy", "GetBucketAcl", "PutBucketPolicy"])
        add("cloudtrail.amazonaws.com", ["DescribeTrails", "GetTrailStatus", "LookupEvents", "StopLogging", "DeleteTrail"])
        add("signin.amazonaws.com", ["ConsoleLogin"])
        add("ssm.amazonaws.com", ["GetParameter", "DescribeParameters", "GetParameters"])
        add("lambda.amazonaws.com", ["ListFunctions", "GetFunction", "UpdateFunctionCode"])
        add("logs.amazonaws.com", ["DescribeLogGroups", "FilterLogEvents", "GetLogEvents"])
        add("kms.amazonaws.com", ["ListKeys"])
        add("secretsmanager.amazonaws.com", ["ListSecrets", "GetSecretValue"])
        add("athena.amazonaws.com", ["StartQueryExecution", "GetQueryExecution", "GetQueryResults", "ListWorkGroups"])
        add("glue.amazonaws.com", ["ListDatabases", "GetTable"])
        add("cloudwatch.amazonaws.com", ["ListDashboards", "GetDashboard", "ListMetrics", "GetMetricData", "DescribeAlarms"])
        add("cloudformation.amazonaws.com", ["DescribeStacks", "ListStackResources"])
        return table
    }()

    static func service(_ api: String) -> String { services[api] ?? "ec2.amazonaws.com" }

    func flow(_ account: Account, _ instance: Instance, src: String, dst: String, srcPort: Int, dstPort: Int, packets: Int, bytes: Int,
              time: Int64, action: String = "ACCEPT", direction: String, protocolNumber: Int = 6) -> String {
        let flags = protocolNumber == 6 ? (action == "REJECT" ? 2 : 19) : 0
        return "5 \(account.id) \(instance.interface) \(src) \(dst) \(srcPort) \(dstPort) \(protocolNumber) \(packets) \(bytes) \(time - 30) \(time) \(action) OK \(account.vpc) \(account.subnet) \(instance.id) \(flags) IPv4 \(src) \(dst) \(account.region) use1-az1 - - - - \(direction) \(direction == "egress" ? "8" : "-")"
    }

    func dns(_ account: Account, _ instance: Instance, name: String, type: String = "A", rcode: String = "NOERROR", time: Int64) -> String {
        let answers = rcode == "NOERROR" ? #"[{"Rdata":"52.216.8.\#(name.count)","Type":"A","Class":"IN"}]"# : "[]"
        return #"{"version":"1.100000","account_id":"\#(account.id)","region":"\#(account.region)","vpc_id":"\#(account.vpc)","query_timestamp":"\#(Timestamp(secondsSinceEpoch: time).iso8601)","query_name":"\#(name)","query_type":"\#(type)","query_class":"IN","rcode":"\#(rcode)","answers":\#(answers),"srcaddr":"\#(instance.privateAddress)","srcport":"\#(30_000 + Int(time % 20_000))","transport":"UDP","srcids":{"instance":"\#(instance.id)"}}"#
    }
}
