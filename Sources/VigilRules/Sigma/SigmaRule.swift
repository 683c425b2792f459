/// A Sigma detection rule, compiled for CloudTrail records.
public struct SigmaRule: Sendable {
    /// The file it came from, and the line of its document.
    public let file: String
    public let line: Int?
    /// The rule's `id` (a UUID), when it has one.
    public let id: String?
    /// The rule's `name` (how correlation rules refer to it), when it has one.
    public let name: String?
    public let title: String
    public let description: String?
    public let status: String?
    public let author: String?
    public let level: SigmaLevel
    public let tags: [String]
    public let references: [String]
    public let falsePositives: [String]
    /// Warnings about how the rule runs (it loaded).
    public let warnings: [SigmaProblem]
    /// The records the rule reads.
    public let source: SigmaLogSource

    let searches: [String: SigmaSearch]
    let condition: SigmaCondition
    /// The condition with its names and patterns resolved to ``ordered`` indices, once.
    let compiled: CompiledCondition
    /// The searches in name order, as ``compiled`` refers to them.
    let ordered: [SigmaSearch]
    /// The `eventName`s the rule can match, when its condition pins them (the engine routes the
    /// rule only those events); `nil`: every event.
    public let eventNames: Set<String>?

    /// The ATT&CK tactics among the tags (`attack.persistence` → `persistence`).
    public var tactics: [String] { RuleFindingType.tactics(in: tags) }

    /// The name of its detector, in findings' evidence, warnings and metrics: `sigma:<id>`, or
    /// `sigma:<title>` for a rule without an id.
    public var detectorName: String { "sigma:\(id ?? title)" }

    /// How many of its regular-expression searches ended at ``SigmaRegex/matchLimit`` so far (each
    /// counted as no match), from every account's detector and every thread.
    public var regexSearchesGivenUp: Int {
        ordered.reduce(0) { total, search in search.regexes.reduce(total) { $0 + $1.searchesGivenUp } }
    }

    /// The searches that matched (for `vigil rules test`).
    func matchedSearches(_ view: some SigmaRecordView) -> [String] {
        searches.keys.sorted().filter { searches[$0]!.matches(view) }
    }
}

/// A condition whose search names and `1 of`/`all of` patterns are resolved to indices, so
/// evaluating it per event looks nothing up by name and allocates nothing.
indirect enum CompiledCondition: Sendable {
    case search(Int)
    case not(CompiledCondition)
    case and(CompiledCondition, CompiledCondition)
    case or(CompiledCondition, CompiledCondition)
    case oneOf([Int])
    case allOf([Int])

    init(_ condition: SigmaCondition, names: [String]) {
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        func resolve(_ c: SigmaCondition) -> CompiledCondition {
            switch c {
            case .search(let name): .search(index[name] ?? -1)
            case .not(let inner): .not(resolve(inner))
            case .and(let a, let b): .and(resolve(a), resolve(b))
            case .or(let a, let b): .or(resolve(a), resolve(b))
            case .oneOf(let pattern): .oneOf(SigmaCondition.names(matching: pattern, in: Set(names)).compactMap { index[$0] })
            case .allOf(let pattern): .allOf(SigmaCondition.names(matching: pattern, in: Set(names)).compactMap { index[$0] })
            }
        }
        self = resolve(condition)
    }
}
