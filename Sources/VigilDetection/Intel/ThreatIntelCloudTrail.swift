import VigilIntel
import VigilLogs
import VigilModel

/// API calls from listed addresses: Recon/UnauthorizedAccess `:IAMUser/MaliciousIPCaller`,
/// `…MaliciousIPCaller.Custom` and `…TorIPCaller`.
///
/// Reconnaissance-type calls (read-only, or `Describe…`, `List…`, `Get…`, `Lookup…`, `Search…`)
/// raise the `Recon:` types, every other call the `UnauthorizedAccess:` types. Tor exit lists raise
/// `TorIPCaller`, the user's own lists `.Custom`, Vigil's other lists `MaliciousIPCaller`; an
/// address on several kinds of list raises each. Unlisted addresses cost one lookup.
public final class ThreatIntelCloudTrail: CloudTrailDetector {
    public let name = "threat-intel-cloudtrail"
    public let findingTypes = [
        FindingType.reconIAMUserMaliciousIPCaller, FindingType.reconIAMUserMaliciousIPCallerCustom, FindingType.reconIAMUserTorIPCaller,
        FindingType.unauthorizedAccessIAMUserMaliciousIPCaller, FindingType.unauthorizedAccessIAMUserMaliciousIPCallerCustom,
        FindingType.unauthorizedAccessIAMUserTorIPCaller,
    ]
    public let eventNames: Set<String>? = nil
    private let intel: IntelScope

    /// Over fixed lists (one account's analysis, or a test's).
    public convenience init(intel: ThreatIntelligence) {
        self.init(intel: IntelScope(shared: intel))
    }

    public init(intel: IntelScope) {
        self.intel = intel
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard intel.hasNetworks, let address = event.sourceAddress, !address.isPrivate, intel.isListed(address) else { return }
        let matches = intel.match(address)
        let recon = Self.isReconnaissance(event)
        var kinds: [(type: FindingType, matches: [IntelMatch], what: String)] = []
        let tor = matches.filter { $0.list.category == .torExit }
        let custom = matches.filter { $0.list.category == .custom }
        let other = matches.filter { $0.list.category != .torExit && $0.list.category != .custom }
        if !tor.isEmpty { kinds.append((recon ? .reconIAMUserTorIPCaller : .unauthorizedAccessIAMUserTorIPCaller, tor, "a Tor exit node")) }
        if !custom.isEmpty {
            kinds.append((recon ? .reconIAMUserMaliciousIPCallerCustom : .unauthorizedAccessIAMUserMaliciousIPCallerCustom, custom,
                          "an address on a custom threat list"))
        }
        if !other.isEmpty { kinds.append((recon ? .reconIAMUserMaliciousIPCaller : .unauthorizedAccessIAMUserMaliciousIPCaller, other, "a known malicious address")) }
        let api = event.eventName.string ?? "an API"
        for kind in kinds {
            var observation = context.observation(
                kind.type,
                title: "API \(api) was invoked from \(kind.what) (\(address)).",
                description: "\(context.principalDescription.capitalizedFirst) called \(api) (\(event.eventSource.string ?? "unknown service")) from \(address), which is on \(kind.matches.map(\.list.name).uniqued().joined(separator: ", ")).",
                identity: .init(resource: context.credentialKey, actor: address.description))
            observation.evidence = kind.matches.evidence
            sink.report(observation)
        }
    }

    /// Read-only calls and the discovery verbs.
    static func isReconnaissance(_ event: CloudTrailEvent) -> Bool {
        if event.readOnly == true { return true }
        let name = event.eventName
        return name.hasPrefix("Describe") || name.hasPrefix("List") || name.hasPrefix("Get") || name.hasPrefix("Lookup") || name.hasPrefix("Search")
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
