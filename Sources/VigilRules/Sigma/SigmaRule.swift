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

    let searches: [String: SigmaSearch]
    let condition: SigmaCondition
    /// The `eventName`s the rule can match, when its condition pins them (the engine routes the
    /// rule only those events); `nil`: every event.
    public let eventNames: Set<String>?

    /// The ATT&CK tactics among the tags (`attack.persistence` → `persistence`).
    public var tactics: [String] {
        tags.compactMap { tag in
            let lower = tag.lowercased()
            guard lower.hasPrefix("attack."), !lower.dropFirst(7).hasPrefix("t"), !lower.dropFirst(7).hasPrefix("g"),
                  !lower.dropFirst(7).hasPrefix("s") || lower == "attack.stealth" else { return nil }
            return String(lower.dropFirst(7))
        }
    }

    /// Whether the event matches the rule's condition.
    func matches(_ view: CloudTrailRecordView) -> Bool { evaluate(condition, view) }

    /// The searches that matched (for `vigil rules test`).
    func matchedSearches(_ view: CloudTrailRecordView) -> [String] {
        searches.keys.sorted().filter { searches[$0]!.matches(view) }
    }

    private func evaluate(_ c: SigmaCondition, _ view: CloudTrailRecordView) -> Bool {
        switch c {
        case .search(let name): return searches[name]?.matches(view) ?? false
        case .not(let inner): return !evaluate(inner, view)
        case .and(let a, let b): return evaluate(a, view) && evaluate(b, view)
        case .or(let a, let b): return evaluate(a, view) || evaluate(b, view)
        case .oneOf(let pattern):
            return SigmaCondition.names(matching: pattern, in: Set(searches.keys)).contains { searches[$0]!.matches(view) }
        case .allOf(let pattern):
            return SigmaCondition.names(matching: pattern, in: Set(searches.keys)).allSatisfy { searches[$0]!.matches(view) }
        }
    }
}
