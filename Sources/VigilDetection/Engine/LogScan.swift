import VigilGeo
import VigilIntel
import VigilLogs
import VigilModel

/// A batch analysis: read files, run every detector over their records, aggregate findings.
///
/// Deterministic: the same files in the same order give the same findings, whatever the clock.
public final class LogScan {
    public let reader: LogReader
    public let engine: DetectionEngine
    public let aggregator: FindingAggregator
    /// The detectors the engine runs.
    public let detectors: [any Detector]

    /// - Parameters:
    ///   - detectors: the detectors to run (every built-in one, over `intel`, by default).
    ///   - intel: threat and trusted lists.
    ///   - geo: locates addresses for the baselines (networks, countries, travel); without it they
    ///     fall back to address prefixes.
    ///   - window: event-time bounds; records outside are counted and skipped.
    ///   - onIssue: called for every bad record or file.
    public init(detectors: [any Detector]? = nil, intel: ThreatIntelligence = .empty, publicSuffixes: PublicSuffixList? = nil,
                settings: DetectionSettings = DetectionSettings(), geo: IPEnricher? = nil, window: ClosedRange<Timestamp>? = nil,
                onIssue: @escaping (LogIssue) -> Void = { _ in }) {
        aggregator = FindingAggregator()
        let detectors = detectors ?? LogScan.builtInDetectors(intel: intel, publicSuffixes: publicSuffixes, settings: settings, geo: geo)
        self.detectors = detectors
        if let inventory = detectors.lazy.compactMap({ $0 as? InstanceInventory }).first {
            aggregator.resourceCompleter = { inventory.complete(&$0) }
        }
        engine = DetectionEngine(detectors: detectors, sink: aggregator, intel: intel)
        reader = LogReader(window: window, onIssue: onIssue)
    }

    /// Every built-in detector, freshly made. The threat-intelligence detectors are left out when
    /// `intel` holds nothing they could match, so a scan without lists pays nothing for them.
    public static func builtInDetectors(intel: ThreatIntelligence = .empty, publicSuffixes: PublicSuffixList? = nil,
                                        settings: DetectionSettings = DetectionSettings(), geo: IPEnricher? = nil) -> [any Detector] {
        var detectors: [any Detector] = CloudTrailDetectors.all()
        detectors.append(InstanceInventory())
        detectors.append(AnomalousBehaviour(settings: settings.baselines, geo: geo))
        detectors.append(ConsoleLoginTravel(settings: settings.baselines, geo: geo))
        detectors.append(FailedAccess(settings: settings.baselines))
        detectors.append(InstanceCredentialUse(settings: settings.baselines, geo: geo))
        detectors.append(InstanceTraffic(settings: settings.baselines))
        detectors.append(NetworkBehaviour(thresholds: settings.networkBehaviour))
        detectors.append(DenialOfService(thresholds: settings.denialOfService))
        detectors.append(UnusualDNSTraffic(intel: intel, settings: settings.unusualDNS))
        detectors.append(MetadataDNSRebind(publicSuffixes: publicSuffixes))
        detectors.append(DomainGenerationRequests(publicSuffixes: publicSuffixes, thresholds: settings.domainGeneration))
        detectors.append(DNSDataExfiltration(publicSuffixes: publicSuffixes, thresholds: settings.dnsDataExfiltration))
        if intel.hasNetworks {
            detectors.append(ThreatIntelCloudTrail(intel: intel))
            detectors.append(ThreatIntelFlows(intel: intel))
            detectors.append(PortProbes(intel: intel, settings: settings.portProbes))
        }
        if intel.hasDomains { detectors.append(ThreatIntelDNS(intel: intel, publicSuffixes: publicSuffixes)) }
        return detectors
    }

    /// Reads one file; returns what the reader made of it.
    @discardableResult
    public func read(path: String) -> LogReader.FileOutcome {
        reader.read(path: path, into: engine)
    }

    public var statistics: ReadStatistics { reader.statistics }
    public var findings: [Finding] { aggregator.findings }

    /// The detectors whose learned state should outlive the process.
    public var learningDetectors: [any LearningDetector] { detectors.compactMap { $0 as? any LearningDetector } }
}
