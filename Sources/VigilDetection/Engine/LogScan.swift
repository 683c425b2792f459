import VigilGeo
import VigilIntel
import VigilLogs
import VigilModel

/// An analysis: read files, run every detector over their records — each account's records through
/// its own detectors (``AccountRouter``) — and aggregate findings.
///
/// Deterministic: the same files in the same order give the same findings, whatever the clock.
public final class LogScan {
    public let reader: LogReader
    public let router: AccountRouter

    /// - Parameters:
    ///   - detectors: the detectors to run over every record whatever its account; by default each
    ///     account gets its own set of every built-in detector, over `intel`.
    ///   - intel: threat and trusted lists for every account.
    ///   - geo: locates addresses for the baselines (networks, countries, travel); without it they
    ///     fall back to address prefixes.
    ///   - addedDetectors: detectors each account gets beside the built-in ones (custom rules),
    ///     made fresh for each account; not used with `detectors`.
    ///   - window: event-time bounds; records outside are counted and skipped.
    ///   - listsMayChange: accounts' own lists may be added while records are analysed (`vigil
    ///     serve`), so the list detectors run even while no list holds anything yet.
    ///   - maximumAccounts: the most accounts analysed at once.
    ///   - onIssue: called for every bad record or file.
    public init(detectors: [any Detector]? = nil, intel: ThreatIntelligence = .empty, publicSuffixes: PublicSuffixList? = nil,
                settings: DetectionSettings = DetectionSettings(), geo: IPEnricher? = nil,
                addedDetectors: @escaping @Sendable () -> [any Detector] = { [] }, window: ClosedRange<Timestamp>? = nil,
                listsMayChange: Bool = false, maximumAccounts: Int = 10_000, onIssue: @escaping (LogIssue) -> Void = { _ in }) {
        let choice: AccountRouter.Detectors
        if let detectors {
            choice = .shared(detectors)
        } else {
            choice = .perAccount { _, scope in
                LogScan.builtInDetectors(intel: scope, publicSuffixes: publicSuffixes, settings: settings, geo: geo, listsMayChange: listsMayChange)
                    + addedDetectors()
            }
        }
        router = AccountRouter(detectors: choice, sharedLists: intel, maximumAccounts: maximumAccounts, listsMayChange: listsMayChange)
        router.onRefused = onIssue
        reader = LogReader(window: window, onIssue: onIssue)
    }

    /// Every built-in detector, freshly made, consulting lists through `intel`. The
    /// threat-intelligence detectors are left out when no list could hold anything they match, so a
    /// scan without lists pays nothing for them.
    public static func builtInDetectors(intel: IntelScope, publicSuffixes: PublicSuffixList? = nil,
                                        settings: DetectionSettings = DetectionSettings(), geo: IPEnricher? = nil,
                                        listsMayChange: Bool = false) -> [any Detector] {
        var detectors: [any Detector] = CloudTrailDetectors.all()
        detectors.append(InstanceInventory())
        detectors.append(AnomalousBehaviour(settings: settings.baselines, geo: geo))
        detectors.append(ConsoleLoginTravel(settings: settings.baselines, geo: geo))
        detectors.append(FailedAccess(settings: settings.baselines))
        detectors.append(InstanceCredentialUse(settings: settings.baselines, geo: geo))
        detectors.append(ResourceCredentialUse(geo: geo))
        detectors.append(InstanceTraffic(settings: settings.baselines))
        detectors.append(NetworkBehaviour(thresholds: settings.networkBehaviour))
        detectors.append(DenialOfService(thresholds: settings.denialOfService))
        detectors.append(UnusualDNSTraffic(intel: intel, settings: settings.unusualDNS))
        detectors.append(MetadataDNSRebind(publicSuffixes: publicSuffixes))
        detectors.append(DomainGenerationRequests(publicSuffixes: publicSuffixes, thresholds: settings.domainGeneration))
        detectors.append(DNSDataExfiltration(publicSuffixes: publicSuffixes, thresholds: settings.dnsDataExfiltration))
        if listsMayChange || intel.hasNetworks {
            detectors.append(ThreatIntelCloudTrail(intel: intel))
            detectors.append(ThreatIntelFlows(intel: intel))
            detectors.append(PortProbes(intel: intel, settings: settings.portProbes))
        }
        if listsMayChange || intel.hasDomains { detectors.append(ThreatIntelDNS(intel: intel, publicSuffixes: publicSuffixes)) }
        return detectors
    }

    /// Every built-in detector over fixed lists.
    public static func builtInDetectors(intel: ThreatIntelligence = .empty, publicSuffixes: PublicSuffixList? = nil,
                                        settings: DetectionSettings = DetectionSettings(), geo: IPEnricher? = nil) -> [any Detector] {
        builtInDetectors(intel: IntelScope(shared: intel), publicSuffixes: publicSuffixes, settings: settings, geo: geo)
    }

    /// Reads one file; returns what the reader made of it.
    @discardableResult
    public func read(path: String) -> LogReader.FileOutcome {
        reader.read(path: path, into: router)
    }

    /// Reads a file's bytes already in memory, named `path` in reports (as `kind` when given).
    @discardableResult
    public func read(bytes: UnsafeRawBufferPointer, path: String, kind: LogKind? = nil) -> LogReader.FileOutcome {
        reader.read(bytes: bytes, path: path, kind: kind, into: router)
    }

    public var statistics: ReadStatistics { reader.statistics }
    public var findings: [Finding] { router.findings }
}
