import Foundation
import VigilLogs
import VigilModel

/// Per-instance streaming models over flow logs:
///
/// - `Behavior:EC2/TrafficVolumeUnusual` — the bytes an instance sends to its busiest remote host
///   in an hour, scored by a ``SeriesAnomalyModel`` of the instance's hourly series (log scale,
///   silent hours included, hour-of-day aware so daily cycles are expected). An hour is judged when
///   the instance's next hour begins; it is unusual when the score reaches
///   ``BaselineSettings/trafficScore``, the volume is above the series' median and at least
///   ``BaselineSettings/trafficMinimumBytes``, and twice the largest hour the model remembers — or,
///   whatever the score, when it is ``BaselineSettings/trafficJump`` times the largest hour the
///   instance ever sent one host (remembered with the profiles' half-life, so a weekly backup is
///   not forgotten between runs): an instance whose nights carry 40 MB does not send 24 GB in a
///   night by routine, even though its series jumps every night.
/// - `Behavior:EC2/NetworkPortUnusual` — an outbound connection to a remote server port the
///   instance has not used, and that the account's instances do not commonly use either.
///
/// Both judge an instance only after ``BaselineSettings/learningDays`` of its traffic (event time).
/// Server ports are told from client ports by the usual convention (the remote port is below 49152
/// and below the instance's port). At most ``BaselineSettings/maxInstances`` instances are modelled
/// (the least recently active tenth is dropped when full); each costs about 2 KB.
public final class InstanceTraffic: FlowLogDetector, LearningDetector {
    public let name = "instance-traffic"
    public static let volume = FindingType.behaviorEC2TrafficVolumeUnusual
    public static let port = FindingType.behaviorEC2NetworkPortUnusual
    public let findingTypes = [InstanceTraffic.volume, InstanceTraffic.port]
    public let interest = FlowInterest(direction: .outbound, acceptedOnly: true)

    /// One remote host's share of the current hour (space-saving heavy hitters).
    struct Remote: Codable {
        var high: UInt64
        var low: UInt64
        var port: UInt16
        var bytes: UInt64
        var address: IPAddress { IPAddress(high: high, low: low) }
    }

    /// What identifies the instance in findings.
    struct Identity: Codable {
        var accountId: String
        var region: String
        var instanceId: String?
        var interfaceId: String?
        var local: String
        var subnetId: String?
        var vpcId: String?
    }

    /// A reference, so the per-record updates mutate it in place in the table.
    final class Instance: Codable {
        let identity: Identity
        let firstSeen: Int64
        var lastSeen: Int64
        var hour: Int64
        var remotes: [Remote] = []
        var model = SeriesAnomalyModel(settings: .init(window: 168, restPeriod: 24, warmUp: 48))
        var ports: [UInt16] = []
        var portWeights: [Float] = []
        var connections: Float = 0
        /// The most bytes sent one host in an hour, decaying with the profiles' half-life (`nil` in states saved before it).
        var largestEver: Double?

        init(identity: Identity, firstSeen: Int64) {
            self.identity = identity
            self.firstSeen = firstSeen
            lastSeen = firstSeen
            hour = firstSeen / 3600
        }
    }

    private let settings: BaselineSettings
    private(set) var instances: [UInt64: Instance] = [:]
    /// Remote server ports used across each account's instances (by account hash, then port).
    private var accountPorts: [UInt64: [UInt16: Float]] = [:]

    public init(settings: BaselineSettings = BaselineSettings()) {
        self.settings = settings
    }

    public func inspect(_ record: inout FlowRecord, source: LogSource, into sink: FindingSink) {
        guard let end = record.end, let local = record.packetSource, let remote = record.packetDestination, !remote.isPrivate else { return }
        let key: UInt64 = record.instanceId.isPresent ? ByteHash.fnv1a(record.instanceId.bytes)
            : record.interfaceId.isPresent ? ByteHash.fnv1a(record.interfaceId.bytes) : local.low &* 0x9E37_79B9_7F4A_7C15 ^ local.high
        let instance: Instance
        if let known = instances[key] {
            instance = known
        } else {
            guard let flow = FlowContext(record, source: source) else { return }
            if instances.count >= settings.maxInstances { retire(keeping: settings.maxInstances * 9 / 10) }
            instance = Instance(
                identity: Identity(accountId: flow.accountId, region: flow.region, instanceId: record.instanceId.string,
                                   interfaceId: record.interfaceId.string, local: "\(local)", subnetId: record.subnetId.string,
                                   vpcId: record.vpcId.string),
                firstSeen: end)
            instances[key] = instance
        }
        let hour = end / 3600
        if hour > instance.hour { closeHours(instance, until: hour, into: sink) }
        let remotePort = record.dstPort ?? 0
        if end > instance.lastSeen { instance.lastSeen = end }
        Self.count(&instance.remotes, remote: remote, port: remotePort, bytes: record.bytes ?? 0)

        if let localPort = record.srcPort, remotePort < 49152, remotePort < localPort, localPort >= 1024,
           record.ipProtocol == .udp || (record.packets ?? 0) >= 2 {
            notePort(instance, port: remotePort, record: &record, source: source, into: sink)
        }
    }

    /// Adds bytes to a remote host in the hour's heavy-hitter table (8 entries, space-saving).
    static func count(_ remotes: inout [Remote], remote: IPAddress, port: UInt16, bytes: UInt64) {
        if let i = remotes.firstIndex(where: { $0.low == remote.low && $0.high == remote.high }) {
            remotes[i].bytes &+= bytes
        } else if remotes.count < 8 {
            remotes.append(Remote(high: remote.high, low: remote.low, port: port, bytes: bytes))
        } else if let lightest = remotes.indices.min(by: { remotes[$0].bytes < remotes[$1].bytes }) {
            remotes[lightest] = Remote(high: remote.high, low: remote.low, port: port, bytes: remotes[lightest].bytes &+ bytes)
        }
    }

    /// Scores the instance's finished hour (and up to a day of silent hours after it).
    private func closeHours(_ instance: Instance, until hour: Int64, into sink: FindingSink) {
        let top = instance.remotes.max { $0.bytes < $1.bytes }
        let bytes = Double(top?.bytes ?? 0)
        let closed = instance.hour
        let largest = instance.model.maximum.map { exp($0) - 1 } ?? 0
        let median = instance.model.median ?? 0
        let score = instance.model.score(log1p(bytes), time: closed * 3600)
        let learned = closed * 3600 - instance.firstSeen >= settings.learningSeconds
        let ever = max(largest, instance.largestEver ?? 0)
        let jump = ever > 0 && bytes >= ever * settings.trafficJump
        if learned, let top, bytes >= settings.trafficMinimumBytes,
           (score >= settings.trafficScore && log1p(bytes) > median && bytes >= largest * 2) || jump {
            report(volume: instance.identity, remote: top, hour: closed, score: score, typical: exp(median) - 1, largest: ever, into: sink)
        }
        // The largest hour, decayed over the hours since (half-life in hours).
        instance.largestEver = max((instance.largestEver ?? 0) * exp2(-Double(max(1, hour - closed)) / settings.halfLifeHours), bytes)
        var silent = closed + 1
        while silent < hour && silent - closed <= 24 {
            _ = instance.model.score(0, time: silent * 3600)
            silent += 1
        }
        instance.hour = hour
        instance.remotes.removeAll(keepingCapacity: true)
    }

    private func report(volume id: Identity, remote: Remote, hour: Int64, score: Double, typical: Double, largest: Double,
                        into sink: FindingSink) {
        let name = id.instanceId ?? id.interfaceId ?? id.local
        let mb = { (b: Double) in "\((b / 1e6).text(decimals: 1)) MB" }
        sink.report(Observation(
            type: Self.volume, accountId: id.accountId, region: id.region, time: Timestamp(secondsSinceEpoch: hour * 3600 + 3599),
            resource: resource(id), action: action(id, remote: remote.address, port: remote.port), resourceRole: .actor,
            title: "EC2 instance \(name) sent an unusually large amount of data to \(remote.address).",
            description: "EC2 instance \(name) sent \(mb(Double(remote.bytes))) to \(remote.address) in the hour from \(Timestamp(secondsSinceEpoch: hour * 3600).iso8601); its busiest host in an hour usually gets \(mb(typical)) and never more than \(mb(largest)) before (anomaly score \(score.text(decimals: 2))).",
            identity: .init(resource: name, actor: "\(remote.address)"),
            details: ["bytes": "\(remote.bytes)", "typicalHourlyBytes": typical.text(decimals: 0),
                      "largestHourlyBytes": largest.text(decimals: 0), "anomalyScore": score.text(decimals: 3)],
            detection: Detection(anomaly: Anomaly(
                profiles: ["INSTANCE": ["BYTES_TO_ONE_HOST_PER_HOUR": [AnomalyObject(
                    profileSubtype: ProfileFrequency.frequent.rawValue, observations: Observations(text: [mb(typical)])), AnomalyObject(
                    profileSubtype: ProfileFrequency.rare.rawValue, observations: Observations(text: [mb(largest)]))]]],
                unusual: AnomalyUnusual(behavior: ["INSTANCE": ["BYTES_TO_ONE_HOST_PER_HOUR": AnomalyObject(
                    profileSubtype: ProfileFrequency.unseen.rawValue, observations: Observations(text: [mb(Double(remote.bytes))]))]])))))
    }

    private func notePort(_ instance: Instance, port: UInt16, record: inout FlowRecord, source: LogSource, into sink: FindingSink) {
        let time = record.end ?? 0
        let known = instance.ports.firstIndex(of: port)
        let learned = time - instance.firstSeen >= settings.learningSeconds && instance.connections >= Float(settings.minimumEvents)
        let accountKey = known == nil ? ByteHash.fnv1a(instance.identity.accountId) : 0
        if known == nil, learned, (accountPorts[accountKey]?[port] ?? 0) < 3, let flow = FlowContext(record, source: source) {
            let name = instance.identity.instanceId ?? instance.identity.interfaceId ?? instance.identity.local
            let usual = zip(instance.ports, instance.portWeights).sorted { $0.1 > $1.1 }.prefix(10).map { "\($0.0)" }
            var observation = flow.observation(
                Self.port, role: .actor,
                title: "EC2 instance \(name) is communicating with \(flow.remote) on an unusual port \(port).",
                description: "EC2 instance \(name) connected to \(flow.remote) on port \(port) (\(PortNames.name(for: port))), which neither it nor the account's other instances use (it usually connects to ports \(usual.joined(separator: ", "))).")
            observation.detection = Detection(anomaly: Anomaly(
                profiles: ["INSTANCE": ["REMOTE_PORT": [AnomalyObject(profileSubtype: ProfileFrequency.frequent.rawValue, observations: Observations(text: usual))]]],
                unusual: AnomalyUnusual(behavior: ["INSTANCE": ["REMOTE_PORT": AnomalyObject(
                    profileSubtype: ProfileFrequency.unseen.rawValue, observations: Observations(text: ["\(port)"]))]])))
            sink.report(observation)
        }
        instance.connections += 1
        if let i = known {
            instance.portWeights[i] += 1
        } else if instance.ports.count < 64 {
            instance.ports.append(port)
            instance.portWeights.append(1)
            accountPorts[accountKey, default: [:]][port, default: 0] += 1
        } else if let lightest = instance.portWeights.indices.min(by: { instance.portWeights[$0] < instance.portWeights[$1] }) {
            instance.ports[lightest] = port
            instance.portWeights[lightest] = 1
            accountPorts[accountKey, default: [:]][port, default: 0] += 1
        }
        if known == nil, let ports = accountPorts[accountKey], ports.count > 4096 { accountPorts[accountKey] = ports.filter { $0.value >= 2 } }
    }

    private func resource(_ id: Identity) -> Resource {
        let local = IPAddress(id.local)
        let interface = NetworkInterface(
            ipv6Addresses: local?.isIPv4 == false ? [id.local] : nil, networkInterfaceId: id.interfaceId,
            privateIpAddress: local?.isIPv4 == true ? id.local : nil, subnetId: id.subnetId, vpcId: id.vpcId)
        return Resource(instanceDetails: InstanceDetails(instanceId: id.instanceId, networkInterfaces: [interface]), resourceType: "Instance")
    }

    private func action(_ id: Identity, remote: IPAddress, port: UInt16) -> Action {
        .networkConnection(NetworkConnectionAction(
            blocked: false, connectionDirection: "OUTBOUND", protocol: "TCP",
            localIpDetails: IPAddress(id.local).map { LocalIpDetails(address: $0) }, localNetworkInterface: id.interfaceId,
            remoteIpDetails: RemoteIpDetails(address: remote),
            remotePortDetails: RemotePortDetails(port: Int(port), portName: PortNames.name(for: port))))
    }

    private func retire(keeping limit: Int) {
        let newest = instances.values.map(\.lastSeen).max() ?? 0
        instances = instances.filter { $0.value.lastSeen >= newest - settings.retireSeconds }
        guard instances.count > limit else { return }
        let cut = instances.values.map(\.lastSeen).sorted()[instances.count - limit]
        instances = instances.filter { $0.value.lastSeen >= cut }
    }

    // MARK: - Learned state

    private struct SavedState: Codable {
        var version = 1
        var instances: [UInt64: Instance]
        var accountPorts: [UInt64: [UInt16: Float]]
    }

    public func saveState() throws -> Data {
        retire(keeping: settings.maxInstances)
        return try JSONEncoder().encode(SavedState(instances: instances, accountPorts: accountPorts))
    }

    public func restoreState(_ data: Data) throws {
        let saved = try decodeState(SavedState.self, from: data, version: 1)
        instances = saved.instances
        accountPorts = saved.accountPorts
    }
}
