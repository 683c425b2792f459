import Foundation

extension JSONTree {
    /// A finding as the API shows it (GuardDuty's wire names), for evaluating criteria and sorts on
    /// any attribute path. `.null` only if the finding cannot be encoded, which a `Finding` always can.
    public init(finding: Finding) {
        guard let data = try? JSONEncoder().encode(finding), let tree = try? JSONTree(parsing: Array(data), maximumDepth: 512) else {
            self = .null
            return
        }
        self = tree
    }
}
