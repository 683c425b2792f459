import Foundation
import VigilModel

/// The attacks ``EstateSimulator`` injects, each on a day after the learning period, at a UTC hour,
/// in one account; `inject` adds its records to that hour and describes it.
struct PlannedAttack {
    var account: Int
    var day: Int
    var hour: Int
    var inject: (inout EstateSimulator, Int, Int64, inout EstateSimulator.Hour) -> EstateSimulator.Attack
}

extension EstateSimulator {
    static let anomalyTypes = ["Discovery", "Persistence", "PrivilegeEscalation", "CredentialAccess", "DefenseEvasion",
                               "Exfiltration", "Impact", "InitialAccess"].map { "\($0):IAMUser/AnomalousBehavior" }

    func attack(_ name: String, _ description: String, account: Account, start: Int64, minutes: Int, marker: String, expected: [String],
                related: [String] = []) -> Attack {
        Attack(name: name, description: description, accountId: account.id, start: Timestamp(secondsSinceEpoch: start).iso8601,
               end: Timestamp(secondsSinceEpoch: start + Int64(minutes * 60)).iso8601, expected: expected, related: related,
               markers: [marker])
    }

    func plannedAttacks() -> [PlannedAttack] {
        let first = options.learningDays + 1
        let n = accounts.count
        var plan: [PlannedAttack] = []
        func add(_ account: Int, _ day: Int, _ hour: Int, _ inject: @escaping (inout EstateSimulator, Int, Int64, inout Hour) -> Attack) {
            guard day < options.days else { return }
            plan.append(PlannedAttack(account: account % n, day: day, hour: hour, inject: inject))
        }

        add(0, first, 10) { sim, a, start, h in
            let account = sim.accounts[a], victim = account.people[1]
            let guesser = SimulatedGeography.selectel.address(&sim.random)
            let agent = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"
            for i in 0..<40 {
                let t = start + Int64(i * 30)
                h.cloudTrail.append((t, sim.consoleLogin(time: t, account: account, person: victim, source: guesser, agent: agent, success: false)))
            }
            return sim.attack("password-guessing", "40 failed console logins for \(victim.name) from \(guesser) in 20 minutes.",
                              account: account, start: start, minutes: 20, marker: guesser, expected: ["CredentialAccess:IAMUser/AnomalousBehavior"])
        }

        add(0, first + 1, 2) { sim, a, start, h in
            let account = sim.accounts[a], victim = account.people[0]
            let thief = SimulatedGeography.digitalOcean.address(&sim.random)
            let agent = "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.8.0-45-generic md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36"
            let calls = ["GetCallerIdentity", "ListUsers", "ListRoles", "ListBuckets", "GetAccountAuthorizationDetails", "DescribeInstances",
                         "ListSecrets", "GetSecretValue", "GetSecretValue", "CreateUser", "CreateAccessKey", "AttachUserPolicy", "CreateLoginProfile"]
            for (i, api) in calls.enumerated() {
                let t = start + Int64(60 + i * 45)
                h.cloudTrail.append((t, sim.cloudTrail(time: t, account: account, identity: .user(victim), api: api, source: thief, agent: agent)))
            }
            return sim.attack("stolen-access-key", "\(victim.name)'s access key used at night from \(thief) (a VPS abroad) with a Python SDK: discovery, secrets, a new user with keys and admin policy.",
                              account: account, start: start, minutes: 15, marker: thief,
                              expected: ["Discovery:IAMUser/AnomalousBehavior", "CredentialAccess:IAMUser/AnomalousBehavior",
                                         "Persistence:IAMUser/AnomalousBehavior", "PrivilegeEscalation:IAMUser/AnomalousBehavior"],
                              related: EstateSimulator.anomalyTypes)
        }

        add(1, first + 1, 3) { sim, a, start, h in
            let account = sim.accounts[a], victim = account.people[2]
            let prober = SimulatedGeography.vultr.address(&sim.random)
            let agent = "aws-cli/2.17.20 Python/3.11.9 Linux/6.8.0-40-generic exe/x86_64.ubuntu.24 prompt/off"
            let apis = ["ListUsers", "ListRoles", "GetAccountAuthorizationDetails", "ListSecrets", "DescribeInstances", "ListBuckets",
                        "ListFunctions", "DescribeDBInstances", "ListKeys", "DescribeTrails", "ListAccessKeys", "GetAccountSummary",
                        "DescribeSnapshots", "ListGroups", "ListPolicies"]
            for i in 0..<45 {
                let t = start + Int64(i * 20)
                h.cloudTrail.append((t, sim.cloudTrail(time: t, account: account, identity: .user(victim), api: apis[i % apis.count],
                                                       source: prober, agent: agent, error: "AccessDenied")))
            }
            return sim.attack("permission-probing", "\(victim.name)'s key tries 15 APIs it may not call, 45 times in 15 minutes, from \(prober).",
                              account: account, start: start, minutes: 15, marker: prober, expected: ["Discovery:IAMUser/AnomalousBehavior"], related: EstateSimulator.anomalyTypes)
        }

        add(1, first + 2, 15) { sim, a, start, h in
            let account = sim.accounts[a], victim = account.people[0]
            let faraway = SimulatedGeography.oi.address(&sim.random)
            let agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36"
            let t = start + 2400
            h.cloudTrail.append((start + 60, sim.consoleLogin(time: start + 60, account: account, person: victim, source: victim.address, agent: agent, success: true)))
            h.cloudTrail.append((t, sim.consoleLogin(time: t, account: account, person: victim, source: faraway, agent: agent, success: true)))
            return sim.attack("impossible-travel", "\(victim.name) logs in from home, then 39 minutes later from \(faraway) in Brazil.",
                              account: account, start: start, minutes: 45, marker: faraway, expected: ["UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B"],
                              related: EstateSimulator.anomalyTypes)
        }

        add(2, first + 2, 20) { sim, a, start, h in
            let account = sim.accounts[a], instance = account.instances[0]
            let outside = SimulatedGeography.beeline.address(&sim.random)
            let agent = "aws-cli/2.17.20 Python/3.11.9 Linux/6.8.0-40-generic exe/x86_64.ubuntu.24 prompt/off"
            let identity = Identity.role(name: instance.role, session: instance.id, accessKey: instance.accessKey)
            for (i, api) in ["GetCallerIdentity", "ListBuckets", "DescribeInstances", "ListSecrets"].enumerated() {
                let t = start + Int64(300 + i * 60)
                h.cloudTrail.append((t, sim.cloudTrail(time: t, account: account, identity: identity, api: api, source: outside, agent: agent)))
            }
            return sim.attack("instance-credentials-outside-aws", "The web instance's role credentials used from \(outside), outside AWS.",
                              account: account, start: start, minutes: 10, marker: outside,
                              expected: ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"], related: EstateSimulator.anomalyTypes)
        }

        add(2, first + 3, 1) { sim, a, start, h in
            let account = sim.accounts[a], instance = account.instances[1]
            let elsewhere = SimulatedGeography.awsOther.address(&sim.random)
            let agent = "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.10.225-213.878.amzn2.x86_64 lang/python#3.9.16"
            let identity = Identity.role(name: instance.role, session: instance.id, accessKey: instance.accessKey)
            for (i, api) in ["GetCallerIdentity", "ListBuckets", "GetBucketPolicy"].enumerated() {
                let t = start + Int64(200 + i * 60)
                h.cloudTrail.append((t, sim.cloudTrail(time: t, account: account, identity: identity, api: api, source: elsewhere, agent: agent)))
            }
            return sim.attack("instance-credentials-inside-aws", "The app instance's role credentials used from \(elsewhere), an EC2 address of another account.",
                              account: account, start: start, minutes: 10, marker: elsewhere,
                              expected: ["UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS"], related: EstateSimulator.anomalyTypes)
        }

        add(2, first + 3, 4) { sim, a, start, h in
            let account = sim.accounts[a], victim = account.people[3]
            let thief = SimulatedGeography.vultr.address(&sim.random)
            let agent = "aws-cli/2.17.20 Python/3.11.9 Linux/6.8.0-40-generic exe/x86_64.ubuntu.24 prompt/off"
            for (i, api) in ["DescribeTrails", "StopLogging", "DeleteTrail", "DeleteFlowLogs"].enumerated() {
                let t = start + Int64(120 + i * 40)
                let request = api == "DescribeTrails" ? "null" : #"{"name":"arn:aws:cloudtrail:us-east-1:\#(account.id):trail/management"}"#
                h.cloudTrail.append((t, sim.cloudTrail(time: t, account: account, identity: .user(victim), api: api, source: thief, agent: agent, request: request)))
            }
            return sim.attack("trail-tampering", "\(victim.name)'s key stops and deletes the CloudTrail trail and the flow logs from \(thief).",
                              account: account, start: start, minutes: 10, marker: thief,
                              expected: ["Stealth:IAMUser/CloudTrailLoggingDisabled", "DefenseEvasion:IAMUser/AnomalousBehavior"],
                              related: EstateSimulator.anomalyTypes)
        }

        add(1, first + 4, 1) { sim, a, start, h in
            let account = sim.accounts[a], victim = account.people[0]
            let thief = SimulatedGeography.digitalOcean.address(&sim.random)
            let agent = "aws-cli/2.17.20 Python/3.11.9 Linux/6.8.0-40-generic exe/x86_64.ubuntu.24 prompt/off"
            let request = #"{"instanceType":"p3.16xlarge","imageId":"ami-0f1e2d3c4b5a69788","minCount":20,"maxCount":20}"#
            h.cloudTrail.append((start + 300, sim.cloudTrail(time: start + 300, account: account, identity: .user(victim), api: "RunInstances",
                                                             source: thief, agent: agent, region: "ap-southeast-1", request: request)))
            return sim.attack("mining-deployment", "\(victim.name)'s key launches 20 p3.16xlarge GPU instances in ap-southeast-1 from \(thief).",
                              account: account, start: start, minutes: 10, marker: thief, expected: ["Impact:IAMUser/AnomalousBehavior"], related: EstateSimulator.anomalyTypes)
        }

        add(1, first + 4, 2) { sim, a, start, h in
            let account = sim.accounts[a], instance = account.instances[1]
            let pool = SimulatedGeography.hetzner.address(&sim.random)
            for i in 0..<30 {
                let t = start + Int64(i * 110)
                let port = 40_000 + i
                h.flows.append((t, sim.flow(account, instance, src: instance.privateAddress, dst: pool, srcPort: port, dstPort: 3333,
                                            packets: 40, bytes: 6000, time: t, direction: "egress")))
                h.flows.append((t, sim.flow(account, instance, src: pool, dst: instance.privateAddress, srcPort: 3333, dstPort: port,
                                            packets: 30, bytes: 4000, time: t, direction: "ingress")))
            }
            return sim.attack("mining-pool-connection", "The app instance talks stratum to a mining pool (\(pool), port 3333) for an hour.",
                              account: account, start: start, minutes: 60, marker: pool, expected: ["Behavior:EC2/NetworkPortUnusual"])
        }

        add(0, first + 4, 3) { sim, a, start, h in
            let account = sim.accounts[a], instance = account.instances[0]
            let drop = SimulatedGeography.vultr.address(&sim.random)
            for i in 0..<60 {
                let t = start + Int64(i * 58)
                let port = 50_000 + i
                h.flows.append((t, sim.flow(account, instance, src: instance.privateAddress, dst: drop, srcPort: port, dstPort: 443,
                                            packets: 70_000, bytes: 100_000_000, time: t, direction: "egress")))
                h.flows.append((t, sim.flow(account, instance, src: drop, dst: instance.privateAddress, srcPort: 443, dstPort: port,
                                            packets: 20_000, bytes: 1_200_000, time: t, direction: "ingress")))
            }
            return sim.attack("bulk-exfiltration", "The web instance uploads 6 GB to \(drop) at 03:00 UTC.", account: account, start: start, minutes: 60, marker: drop,
                              expected: ["Behavior:EC2/TrafficVolumeUnusual"])
        }

        add(2, first + 1, 15) { sim, a, start, h in
            let account = sim.accounts[a], instance = account.instances[3]
            let attacker = SimulatedGeography.selectel.address(&sim.random)
            for i in 0..<300 {
                let t = start + Int64(i * 6)
                h.flows.append((t, sim.flow(account, instance, src: attacker, dst: instance.privateAddress, srcPort: 30_000 + i, dstPort: 22,
                                            packets: 12, bytes: 2400, time: t, direction: "ingress")))
            }
            return sim.attack("ssh-brute-force", "\(attacker) tries 300 SSH logins on the bastion in 30 minutes.", account: account, start: start, minutes: 30, marker: attacker,
                              expected: ["UnauthorizedAccess:EC2/SSHBruteForce"])
        }

        add(0, first + 5, 5) { sim, a, start, h in
            let account = sim.accounts[a], instance = account.instances[2]
            let target = SimulatedGeography.vultr.address(&sim.random)
            for i in 0..<200 {
                let t = start + Int64(i * 3)
                h.flows.append((t, sim.flow(account, instance, src: instance.privateAddress, dst: target, srcPort: 51_000, dstPort: 1 + i * 7,
                                            packets: 1, bytes: 44, time: t, action: i % 9 == 0 ? "ACCEPT" : "REJECT", direction: "egress")))
            }
            return sim.attack("port-scan", "The worker instance probes 200 ports of \(target).", account: account, start: start, minutes: 10, marker: target,
                              expected: ["Recon:EC2/Portscan"])
        }

        add(2, first + 5, 9) { sim, a, start, h in
            let account = sim.accounts[a], instance = account.instances[1]
            for i in 0..<300 {
                let t = start + Int64(i * 2)
                let chunk = sim.random.upper(52).lowercased()
                h.dns.append((t, sim.dns(account, instance, name: "\(chunk).\(sim.random.hex(6)).t.cdn-sync-update.net.", type: "TXT", time: t)))
            }
            return sim.attack("dns-tunnel", "The app instance sends data out in 300 DNS queries of base32 labels under t.cdn-sync-update.net.",
                              account: account, start: start, minutes: 10, marker: "cdn-sync-update.net", expected: ["Trojan:EC2/DNSDataExfiltration"])
        }

        add(1, first + 5, 22) { sim, a, start, h in
            let account = sim.accounts[a], instance = account.instances[3]
            let server = SimulatedGeography.selectel.address(&sim.random)
            for i in 0..<12 {
                let t = start + Int64(i * 290)
                h.flows.append((t, sim.flow(account, instance, src: instance.privateAddress, dst: server, srcPort: 45_000 + i, dstPort: 6667,
                                            packets: 20, bytes: 1800, time: t, direction: "egress")))
            }
            return sim.attack("irc-command-and-control", "The bastion keeps an IRC channel (\(server), port 6667) open for an hour.",
                              account: account, start: start, minutes: 60, marker: server, expected: ["Behavior:EC2/NetworkPortUnusual"])
        }
        return plan
    }
}
