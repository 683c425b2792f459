/// Sigma rules tests share.
public enum SigmaFixtures {
    /// A rule whose `re` backtracks exponentially on ``craftedAgent``: its searches there stop at
    /// PCRE2's limit (and count as no match), while an agent of `a`s alone matches.
    public static let backtrackingRuleId = "5b1d7e2a-2222-4333-8444-955566667777"
    public static let backtrackingRule = """
        title: Backtracking Agent
        id: \(backtrackingRuleId)
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection:
                userAgent|re: '^(a+)+$'
            condition: selection
        level: low
        """

    /// Forty `a`s and a `!`: 2⁴⁰ ways for `^(a+)+$` to fail.
    public static let craftedAgent = String(repeating: "a", count: 40) + "!"
}
