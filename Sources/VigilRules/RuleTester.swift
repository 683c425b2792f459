import VigilLogs
import VigilModel

/// Reads records and says, for each CloudTrail event, which rules match and why: what
/// `vigil rules test` prints. Correlation rules are shown through the rules they correlate.
public final class RuleTester: LogRecordHandler {
    /// One rule matching one event.
    public struct Match: Sendable {
        public let path: String
        public let location: RecordLocation
        public let eventName: String
        public let eventTime: Timestamp
        public let rule: String
        public let level: SigmaLevel
        /// The searches that held for the event (those the condition negates included).
        public let searchesHeld: [String]
        public let condition: String
    }

    public private(set) var matches: [Match] = []
    public private(set) var events: UInt64 = 0
    /// Records of other sources, which rules do not read.
    public private(set) var otherRecords: UInt64 = 0
    private let rules: [SigmaRule]
    private let view = CloudTrailRecordView()

    public init(rules: RuleSet) {
        self.rules = rules.rules
    }

    public func handle<Record: LogRecord>(_ record: inout Record, source: LogSource) {
        guard Record.ifIs(&record, CloudTrailEvent.self, { inspect($0, source) }) != nil else {
            otherRecords += 1
            return
        }
    }

    private func inspect(_ event: CloudTrailEvent, _ source: LogSource) {
        events += 1
        view.reset(event)
        for rule in rules where rule.matches(view) {
            matches.append(Match(
                path: source.path, location: event.location, eventName: event.eventName.string ?? "", eventTime: event.eventTime,
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
