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

    /// - Parameters:
    ///   - detectors: the detectors to run (every built-in one, over `intel`, by default).
    ///   - intel: threat and trusted lists.
    ///   - window: event-time bounds; records outside are counted and skipped.
    ///   - onIssue: called for every bad record or file.
    public init(detectors: [any Detector]? = nil, intel: ThreatIntelligence = .empty, publicSuffixes: PublicSuffixList? = nil,
                settings: DetectionSettings = DetectionSettings(), window: ClosedRange<Timestamp>? = nil, onIssue: @escaping (LogIssue) -> Void = { _ in }) {
        aggregator = FindingAggregator()
        let detectors = detectors ?? LogScan.builtInDetectors(intel: intel, publicSuffixes: publicSuffixes, settings: settings)
        if let inventory = detectors.lazy.compactMap({ $0 as? InstanceInventory }).first {
            aggregator.resourceCompleter = { inventory.complete(&$0) }
        }
        engine = DetectionEngine(detectors: detectors, sink: aggregator, intel: intel)
        reader = LogReader(window: window, onIssue: onIssue)
    }

    /// Every built-in detector, freshly made. The threat-intelligence detectors are left out when
    /// `intel` holds nothing they could match, so a scan without lists pays nothing for them.
    public static func builtInDetectors(intel: ThreatIntelligence = .empty, publicSuffixes: PublicSuffixList? = nil,
                                        settings: DetectionSettings = DetectionSettings()) -> [any Detector] {
        var detectors: [any Detector] = CloudTrailDetectors.all()
        detectors.append(InstanceInventory())
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
}
