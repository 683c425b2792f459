import VigilIntel
import VigilLogs
import VigilModel

/// Connections with listed addresses, from VPC Flow Logs: `UnauthorizedAccess:EC2/MaliciousIPCaller.Custom`,
/// `Backdoor:EC2/C&CActivity.B`, `CryptoCurrency:EC2/BitcoinTool.B`, `UnauthorizedAccess:EC2/TorClient`,
/// `UnauthorizedAccess:EC2/TorRelay`, `Trojan:EC2/BlackholeTraffic` and `Trojan:EC2/DropPoint`.
///
/// The instance is the ACTOR when it talks to the listed address and the TARGET when a custom-listed
/// address reaches it. A remote address the instance resolved from a listed domain counts as
/// listed, with that domain's lists (``ResolvedAddresses``). Tor relays: an instance reaching relays is a Tor client; one that relays'
/// connections reach on its own ORPort/DirPort (9001/9030) is acting as a relay. Unlisted remote
/// addresses cost one lookup.
public final class ThreatIntelFlows: FlowLogDetector {
    public let name = "threat-intel-flows"
    /// The list categories this detector raises findings for (the others' addresses are left to other detectors).
    public static let categories: Set<ThreatCategory> = [.custom, .commandAndControl, .mining, .torRelay, .blackhole, .dropPoint]
    public let findingTypes = [
        FindingType.unauthorizedAccessEC2MaliciousIPCallerCustom, FindingType.backdoorEC2CCActivityB, FindingType.cryptoCurrencyEC2BitcoinToolB,
        FindingType.unauthorizedAccessEC2TorClient, FindingType.unauthorizedAccessEC2TorRelay, FindingType.trojanEC2BlackholeTraffic, FindingType.trojanEC2DropPoint,
    ]
    private let intel: IntelScope

    /// Over fixed lists (one account's analysis, or a test's).
    public convenience init(intel: ThreatIntelligence) {
        self.init(intel: IntelScope(shared: intel))
    }

    public init(intel: IntelScope) {
        self.intel = intel
    }

    public func inspect(_ record: inout FlowRecord, source: LogSource, into sink: FindingSink) {
        guard record.logStatus == .ok, let src = record.packetSource, let dst = record.packetDestination else { return }
        // Cheap pre-check before orienting the record: is either end listed at all, or an address
        // the instance resolved from a listed domain?
        let listed = intel.hasNetworks && ((!src.isPrivate && intel.isListed(src)) || (!dst.isPrivate && intel.isListed(dst)))
        var resolved: ResolvedAddresses.Entry?
        if !listed {
            // The instance is the local end, as the flow context orients the record.
            guard !intel.resolved.isEmpty, let end = record.end,
                  let outbound = record.outbound ?? FlowContext.isOutbound(record, source: src, destination: dst),
                  let entry = intel.resolved.lookup(local: outbound ? src : dst, remote: outbound ? dst : src, at: end) else { return }
            resolved = entry
        }
        guard let flow = FlowContext(record, source: source) else { return }
        let matches = resolved?.matches ?? intel.match(flow.remote)
        guard !matches.isEmpty else { return }
        let via = resolved.map { " (the instance resolved it from \($0.domain))" } ?? ""
        let grouped = Dictionary(grouping: matches, by: \.list.category)
        let remote = "\(flow.remote)\(via)"
        let instance = flow.resourceKey
        for (category, hits) in grouped.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let lists = hits.map(\.list.name).uniqued().joined(separator: ", ")
            let evidence = hits.evidence
            switch category {
            case .custom:
                let role = flow.outbound ? ResourceRole.actor : .target
                sink.report(flow.observation(
                    FindingType.unauthorizedAccessEC2MaliciousIPCallerCustom, role: role,
                    title: flow.outbound ? "Outbound connection from \(instance) to \(remote), on a custom threat list."
                        : "Inbound connection to \(instance) from \(remote), on a custom threat list.",
                    description: "\(instance) \(flow.outbound ? "connected to" : "was reached by") \(remote), which is on \(lists).",
                    evidence: evidence))
            case .commandAndControl:
                sink.report(flow.observation(
                    FindingType.backdoorEC2CCActivityB, role: .actor,
                    title: "Command and control server \(remote) contacted by \(instance).",
                    description: "\(instance) exchanged traffic with \(remote), a known command-and-control server (\(lists)). The instance may be compromised.",
                    evidence: evidence))
            case .mining:
                sink.report(flow.observation(
                    FindingType.cryptoCurrencyEC2BitcoinToolB, role: .actor,
                    title: "Crypto-currency mining server \(remote) contacted by \(instance).",
                    description: "\(instance) exchanged traffic with \(remote), an address associated with crypto-currency mining (\(lists)).",
                    evidence: evidence))
            case .torRelay:
                let servesRelay = flow.localPort == 9001 || flow.localPort == 9030
                sink.report(flow.observation(
                    servesRelay ? FindingType.unauthorizedAccessEC2TorRelay : FindingType.unauthorizedAccessEC2TorClient, role: .actor,
                    title: servesRelay ? "\(instance) is acting as a Tor relay." : "\(instance) is connecting to the Tor network.",
                    description: servesRelay
                        ? "\(instance) exchanged Tor relay traffic (port \(flow.localPort.map(String.init) ?? "?")) with the Tor node \(remote) (\(lists))."
                        : "\(instance) connected to the Tor guard or authority node \(remote) (\(lists)).",
                    evidence: evidence))
            case .blackhole:
                sink.report(flow.observation(
                    FindingType.trojanEC2BlackholeTraffic, role: .actor,
                    title: "\(instance) is trying to reach the black-holed address \(remote).",
                    description: "\(instance) sent traffic to \(remote), a known black hole (\(lists)); malware often keeps calling sink-holed servers.",
                    evidence: evidence))
            case .dropPoint:
                sink.report(flow.observation(
                    FindingType.trojanEC2DropPoint, role: .actor,
                    title: "\(instance) is contacting the drop point \(remote).",
                    description: "\(instance) exchanged traffic with \(remote), known to hold credentials and data stolen by malware (\(lists)).",
                    evidence: evidence))
            default:
                continue
            }
        }
    }
}
