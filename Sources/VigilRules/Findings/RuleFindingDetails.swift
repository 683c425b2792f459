/// What a rule's findings say about the rule (`service.additionalInfo`): one shape for detection
/// and correlation rules, which the console's "Sigma rule" panel reads.
enum RuleFindingDetails {
    static func of(title: String, level: SigmaLevel, file: String, id: String?, tags: [String], references: [String],
                   falsePositives: [String], author: String?) -> [String: String] {
        var details = ["ruleTitle": title, "ruleLevel": level.rawValue, "ruleFile": file]
        if let id { details["ruleId"] = id }
        if !tags.isEmpty { details["ruleTags"] = tags.joined(separator: ", ") }
        if !references.isEmpty { details["ruleReferences"] = references.joined(separator: " ") }
        if !falsePositives.isEmpty { details["ruleFalsePositives"] = falsePositives.joined(separator: "; ") }
        if let author { details["ruleAuthor"] = author }
        return details
    }

    static func of(_ rule: SigmaRule) -> [String: String] {
        of(title: rule.title, level: rule.level, file: rule.file, id: rule.id, tags: rule.tags, references: rule.references,
           falsePositives: rule.falsePositives, author: rule.author)
    }
}
