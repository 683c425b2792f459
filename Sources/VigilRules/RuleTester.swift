import VigilLogs
import VigilModel

/// Reads records and says, for each CloudTrail event, which rules match and why: what
/// `vigil rules test` prints. Correlation rules are shown through the rules they correlate.
public final class RuleTester: LogRecordHandler {
    /// One rule matching one event.
    public struct Match: Sendable {
        public let path: String
        public let location: RecordLocation
        /// The event's name (CloudTrail), or what the record is (a flow's ends, a query's name).
        public let eventName: String
        public let eventTime: Timestamp
        public let rule: String
        public let level: SigmaLevel
        /// The searches that held for the event (those the condition negates included).
        public let searchesHeld: [String]
        public let condition: String
    }

    public private(set) var matches: [Match] = []
    /// Records read, by the log source rules name.
    public private(set) var records: [SigmaLogSource: UInt64] = [:]
    private let rules: [SigmaRule]
    private let view = CloudTrailRecordView()
    private let flowView = FlowRecordView()
    private let resolverView = ResolverRecordView()

    public init(rules: RuleSet) {
        self.rules = rules.rules
        programs = rules.rules.map { RuleProgram($0) }
    }

    /// Each rule's program, as the engine runs it.
    private let programs: [RuleProgram]

    public func handle<Record: LogRecord>(_ record: inout Record, source: LogSource) {
        if Record.ifIs(&record, CloudTrailEvent.self, { (event: inout CloudTrailEvent) -> Void in
            view.reset(event)
            inspect(.cloudTrail, view, event, source, event.location, event.eventName.string ?? "", event.eventTime)
        }) != nil { return }
        if Record.ifIs(&record, FlowRecord.self, { (flow: inout FlowRecord) -> Void in
            let what = "\(flow.packetSource.map { "\($0)" } ?? "-") → \(flow.packetDestination.map { "\($0)" } ?? "-"):\(flow.dstPort.map(String.init) ?? "-")"
            let location = flow.location, time = flow.eventTime ?? Timestamp(millisecondsSinceEpoch: 0)
            withUnsafePointer(to: &flow) { pointer in
                flowView.reset(pointer)
                inspect(.flowLogs, flowView, nil, source, location, what, time)
            }
        }) != nil { return }
        _ = Record.ifIs(&record, ResolverQuery.self, { (query: inout ResolverQuery) -> Void in
            resolverView.reset(query)
            inspect(.resolver, resolverView, nil, source, query.location, query.queryName.string ?? "", query.queryTimestamp)
        })
    }

    private func inspect(_ kind: SigmaLogSource, _ view: some SigmaRecordView, _ event: CloudTrailEvent?, _ source: LogSource,
                         _ location: RecordLocation, _ what: String, _ time: Timestamp) {
        records[kind, default: 0] += 1
        for (rule, program) in zip(rules, programs) where rule.source == kind && program.matches(view, event: event) {
            matches.append(Match(
                path: source.path, location: location, eventName: what, eventTime: time,
                rule: rule.title, level: rule.level, searchesHeld: rule.matchedSearches(view), condition: "\(rule.condition)"))
        }
    }
}

extension SigmaCondition: CustomStringConvertible {
    /// The condition in Sigma's syntax, fully parenthesised.
    public var description: String {
        switch self {
        case .search(let name): name
        case .not(let inner): "not \(inner.parenthesised)"
        case .and(let a, let b): "\(a.parenthesised) and \(b.parenthesised)"
        case .or(let a, let b): "\(a.parenthesised) or \(b.parenthesised)"
        case .oneOf(let pattern): "1 of \(pattern)"
        case .allOf(let pattern): "all of \(pattern)"
        }
    }

    private var parenthesised: String {
        switch self {
        case .and, .or: "(\(description))"
        default: description
        }
    }
}
