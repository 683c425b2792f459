import VigilIntel
import VigilLogs
import VigilModel

/// `Recon:EC2/PortProbeUnprotectedPort` and `Recon:EC2/PortProbeEMRUnprotectedPort` — a port the
/// instance leaves open (the record was ACCEPTed inbound) is being probed by a known malicious host
/// (an address on a threat list of a hostile category: custom, malicious, command and control,
/// drop point, black hole, drive-by, phishing; Tor nodes raise the Tor finding types instead). Ports that EMR's web interfaces and
/// Hadoop services listen on (`emrPorts`) raise the EMR variant. The instance is the TARGET; the
/// finding aggregates per instance and port, and its `portProbeAction` lists the probing hosts
/// (up to ten, as GuardDuty does). Ports meant to be reached from anywhere (`publicPorts`: the web
/// ports 80 and 443) are not reported, as GuardDuty does not: a scanner fetching a web server's
/// home page is not a probe of an unprotected port.
public final class PortProbes: FlowLogDetector {
    public struct Settings: Sendable, Codable, Equatable {
        public var emrPorts: [UInt16] = [8088, 8890, 8888, 9443, 18080, 20888, 16010, 50070, 9870, 9864, 19888]
        /// Ports served to the world on purpose, whose probes are not reported.
        public var publicPorts: [UInt16] = [80, 443]
        public init() {}
    }

    public let name = "port-probes"
    public let findingTypes = [FindingType.reconEC2PortProbeUnprotectedPort, FindingType.reconEC2PortProbeEMRUnprotectedPort]
    public let interest = FlowInterest(direction: .inbound, acceptedOnly: true)
    static let hostile: Set<ThreatCategory> = [.custom, .malicious, .commandAndControl, .dropPoint, .blackhole, .driveBy, .phishing]
    private let intel: IntelScope
    private let emrPorts: Set<UInt16>
    private let publicPorts: Set<UInt16>
    /// Probing hosts per (instance, port), for `portProbeDetails` (bounded: ten hosts, 16Ki keys).
    private var throttle = ReportThrottle(interval: 3600)
    private var probers = KeyedWindows<[PortProbeDetail]>(window: 86_400, capacity: 16_384, fresh: { [] })

    /// Over fixed lists (one account's analysis, or a test's).
    public convenience init(intel: ThreatIntelligence, settings: Settings = Settings()) {
        self.init(intel: IntelScope(shared: intel), settings: settings)
    }

    public init(intel: IntelScope, settings: Settings = Settings()) {
        self.intel = intel
        self.emrPorts = Set(settings.emrPorts)
        self.publicPorts = Set(settings.publicPorts)
    }

    public func inspect(_ record: inout FlowRecord, source: LogSource, into sink: FindingSink) {
        guard record.outbound == false, record.action == .accept, let src = record.packetSource, !src.isPrivate,
              intel.isListed(src),
              let flow = FlowContext(record, source: source), let port = flow.localPort, !publicPorts.contains(port) else { return }
        let hits = intel.match(src).filter { Self.hostile.contains($0.list.category) }
        guard !hits.isEmpty else { return }
        let emr = emrPorts.contains(port)
        let detail = PortProbeDetail(localPortDetails: LocalPortDetails(port: Int(port), portName: PortNames.name(for: port)),
                                     localIpDetails: LocalIpDetails(address: flow.local), remoteIpDetails: RemoteIpDetails(address: flow.remote))
        let key = mixKey(ByteHash.fnv1a(flow.resourceKey), UInt64(port))
        let details = probers.update(key, at: flow.time.millisecondsSinceEpoch / 1000) { list -> [PortProbeDetail] in
            if !list.contains(where: { $0.remoteIpDetails?.ipAddressV4 == detail.remoteIpDetails?.ipAddressV4
                                       && $0.remoteIpDetails?.ipAddressV6 == detail.remoteIpDetails?.ipAddressV6 }) && list.count < 10 {
                list.append(detail)
            }
            return list
        }
        // A known prober is reported once an hour per instance and port; new probers always.
        guard throttle.shouldReport(mixKey(key, src.low ^ src.high), at: flow.time.millisecondsSinceEpoch / 1000) else { return }
        let lists = hits.map(\.list.name).uniqued().joined(separator: ", ")
        var observation = flow.observation(
            emr ? findingTypes[1] : findingTypes[0], role: .target,
            title: emr ? "Unprotected EMR-related port \(port) on \(flow.resourceKey) is being probed."
                : "Unprotected port \(port) (\(PortNames.name(for: port))) on \(flow.resourceKey) is being probed.",
            description: "\(flow.remote), a known malicious host (\(lists)), reached port \(port) of \(flow.resourceKey) and the traffic was accepted: the port is open to the internet.",
            evidence: hits.evidence)
        observation.action = .portProbe(PortProbeAction(blocked: false, portProbeDetails: details))
        observation.identity = .init(resource: flow.resourceKey, actor: "port:\(port)")
        sink.report(observation)
    }
}
