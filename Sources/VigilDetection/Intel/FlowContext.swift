import VigilLogs
import VigilModel

/// A flow record seen from the instance's side: which end is the monitored instance, which is
/// the remote party, and the model values findings need.
public struct FlowContext {
    public let record: FlowRecord
    public let source: LogSource
    public let local: IPAddress
    public let remote: IPAddress
    public let localPort: UInt16?
    public let remotePort: UInt16?
    /// Whether the record's packets went from the instance to the remote party.
    public let outbound: Bool

    /// Orients a record: by `flow-direction` when logged, else by which end is a private address,
    /// else by ports (the end on the lower, service port is the server). `nil` when the record has
    /// no addresses, or — unless `allowPrivateRemote` — both ends are private (east-west traffic).
    public init?(_ record: FlowRecord, source: LogSource, allowPrivateRemote: Bool = false) {
        guard let src = record.packetSource, let dst = record.packetDestination,
              let outbound = record.outbound ?? FlowContext.isOutbound(record, source: src, destination: dst) else { return nil }
        let (local, remote) = outbound ? (src, dst) : (dst, src)
        guard allowPrivateRemote || !remote.isPrivate else { return nil }
        self.record = record
        self.source = source
        self.local = local
        self.remote = remote
        self.localPort = outbound ? record.srcPort : record.dstPort
        self.remotePort = outbound ? record.dstPort : record.srcPort
        self.outbound = outbound
    }

    /// Whether the record's packets left the monitored instance: `flow-direction` when logged, else
    /// the private end is the instance, else the end on the lower (service) port is the server.
    /// `nil` when none of these tells.
    @inline(__always)
    public static func isOutbound(_ record: FlowRecord, source src: IPAddress, destination dst: IPAddress) -> Bool? {
        switch record.flowDirection {
        case .egress: return true
        case .ingress: return false
        case .unknown:
            if src.isPrivate != dst.isPrivate { return src.isPrivate }
            if let sp = record.srcPort, let dp = record.dstPort, sp != dp { return dp < sp }
            return nil
        }
    }

    public var accountId: String { record.account(in: source).description }
    public var region: String { record.region(in: source) }
    public var time: Timestamp { record.eventTime ?? Timestamp(millisecondsSinceEpoch: 0) }

    /// The instance (or, without an instance ID, the network interface) as the finding's resource.
    public var resource: Resource {
        let interface = NetworkInterface(
            ipv6Addresses: local.isIPv4 ? nil : [local.description], networkInterfaceId: record.interfaceId.string,
            privateIpAddress: local.isIPv4 ? local.description : nil, subnetId: record.subnetId.string, vpcId: record.vpcId.string)
        return Resource(instanceDetails: InstanceDetails(instanceId: record.instanceId.string, networkInterfaces: [interface]),
                        resourceType: "Instance")
    }

    /// A key for the instance: its ID, else its interface, else its address.
    public var resourceKey: String { record.instanceId.string ?? record.interfaceId.string ?? local.description }

    /// The connection as GuardDuty describes it.
    public var action: Action {
        .networkConnection(NetworkConnectionAction(
            blocked: record.action == .reject, connectionDirection: outbound ? "OUTBOUND" : "INBOUND",
            localPortDetails: localPort.map { LocalPortDetails(port: Int($0), portName: PortNames.name(for: $0)) },
            protocol: record.ipProtocol?.description ?? "Unknown", localIpDetails: LocalIpDetails(address: local),
            localNetworkInterface: record.interfaceId.string, remoteIpDetails: RemoteIpDetails(address: remote),
            remotePortDetails: remotePort.map { RemotePortDetails(port: Int($0), portName: PortNames.name(for: $0)) }))
    }

    /// An observation of this flow.
    public func observation(_ type: FindingType, severity: Double? = nil, role: ResourceRole, title: String, description: String,
                            evidence: Evidence? = nil) -> Observation {
        Observation(type: type, severity: severity, accountId: accountId, region: region, time: time, resource: resource,
                    action: action, resourceRole: role, evidence: evidence, title: title, description: description,
                    identity: .init(resource: resourceKey, actor: remote.description),
                    evidenceLocation: "\(source.path):\(record.location)")
    }
}

/// Names GuardDuty gives well-known ports and protocols.
public enum PortNames {
    public static func name(for port: UInt16) -> String {
        switch port {
        case 21: "FTP"
        case 22: "SSH"
        case 23: "Telnet"
        case 25: "SMTP"
        case 53: "DNS"
        case 80: "HTTP"
        case 110: "POP3"
        case 123: "NTP"
        case 143: "IMAP"
        case 443: "HTTPS"
        case 445: "SMB"
        case 465, 587: "SMTPS"
        case 853: "DNS over TLS"
        case 993: "IMAPS"
        case 1433: "MSSQL"
        case 3306: "MYSQL"
        case 3389: "RDP"
        case 5432: "POSTGRESQL"
        case 5985, 5986: "WinRM"
        case 6379: "REDIS"
        case 8080: "HTTP-ALT"
        case 9001: "Tor ORPort"
        case 9030: "Tor DirPort"
        default: "Unknown"
        }
    }
}
