import VigilDetection
import VigilLogs
import VigilModel

/// Runs one Sigma rule of `service: route53resolver` over an account's Resolver queries: a
/// finding per match about the querying instance, aggregated per domain. Stateless.
public final class SigmaDNSRuleDetector: DNSDetector {
    public var rule: SigmaRule { compiled.rule }
    public var type: FindingType { compiled.type }
    public var name: String { compiled.detectorName }
    public var findingTypes: [FindingType] { [compiled.type] }
    private let compiled: CompiledRule
    private let view = ResolverRecordView()

    public convenience init(rule: SigmaRule) {
        self.init(CompiledRule(rule))
    }

    /// A detector of a rule compiled already (shared with other accounts' detectors).
    init(_ compiled: CompiledRule) {
        self.compiled = compiled
    }

    public func inspect(_ query: ResolverQuery, source: LogSource, into sink: FindingSink) {
        view.reset(query)
        guard compiled.matches(view) else { return }
        let dns = DNSContext(query, source: source, suffixes: nil)
        var observation = dns.observation(compiled.type, severity: compiled.rule.level.severity, title: compiled.rule.title,
                                          description: "\(compiled.named): \(dns.instance) queried \(dns.domain).", evidence: nil)
        observation.details = compiled.details
        sink.report(observation)
    }
}
