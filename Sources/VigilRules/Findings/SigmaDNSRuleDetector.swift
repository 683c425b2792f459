import VigilDetection
import VigilLogs
import VigilModel

/// Runs one Sigma rule of `service: route53resolver` over an account's Resolver queries: a
/// finding per match about the querying instance, aggregated per domain. Stateless.
public final class SigmaDNSRuleDetector: DNSDetector {
    public let rule: SigmaRule
    public let type: FindingType
    public var name: String { "sigma:\(rule.id ?? rule.title)" }
    public var findingTypes: [FindingType] { [type] }
    private let view = ResolverRecordView()
    private let details: [String: String]
    private let named: String

    /// The rule's condition and searches, held here so evaluating them copies nothing.
    private let condition: CompiledCondition
    private let searches: [SigmaSearch]

    public init(rule: SigmaRule) {
        self.rule = rule
        condition = rule.compiled
        searches = rule.ordered
        type = RuleFindingType.make(title: rule.title, tactics: rule.tactics, id: rule.id, source: .resolver)
        details = RuleFindingDetails.of(rule)
        named = "Sigma rule \"\(rule.title)\"\(rule.id.map { " (\($0))" } ?? "") matched"
    }

    public func inspect(_ query: ResolverQuery, source: LogSource, into sink: FindingSink) {
        view.reset(query)
        guard condition.evaluate(searches, view) else { return }
        let dns = DNSContext(query, source: source, suffixes: nil)
        var observation = dns.observation(type, severity: rule.level.severity, title: rule.title,
                                          description: "\(named): \(dns.instance) queried \(dns.domain).", evidence: nil)
        observation.details = details
        sink.report(observation)
    }
}
