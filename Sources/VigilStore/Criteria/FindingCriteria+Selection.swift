import VigilModel

extension FindingCriteria {
    /// The attributes the store keeps as columns, by their criteria paths.
    public static let columns: [String: FindingSelection.Column] = [
        "id": .id, "accountId": .accountId, "region": .region, "type": .type, "severity": .severity,
        "service.archived": .archived, "updatedAt": .updatedAt, "createdAt": .createdAt,
        "resource.resourceType": .resourceType, "resource.instanceDetails.instanceId": .instanceId,
        "resource.accessKeyDetails.accessKeyId": .accessKeyId, "service.eventLastSeen": .eventLastSeen,
    ]

    /// Splits the criteria into what the store evaluates in SQL (`selection`, added to `base`)
    /// and what must be evaluated on each finding's JSON (`residual`; empty when everything went
    /// to SQL).
    public func split(into base: FindingSelection) -> (selection: FindingSelection, residual: FindingCriteria) {
        var selection = base
        var residual = FindingCriteria()
        for (path, condition) in conditions {
            if let column = Self.columns[path.joined(separator: ".")], let tests = Self.tests(condition, column) {
                for test in tests { selection.tests.append((column, test)) }
            } else if FindingSelection.jsonPathIsPlain(path), let tests = Self.tests(condition, nil) {
                for test in tests { selection.jsonTests.append((path, test)) }
            } else {
                residual.conditions.append((path, condition))
            }
        }
        return (selection, residual)
    }

    /// The condition as tests of a column (or, for `nil`, of a JSON path), or `nil` when SQL cannot
    /// say it the way `matches` does.
    static func tests(_ c: Condition, _ column: FindingSelection.Column?) -> [FindingSelection.Test]? {
        // Numbers compare numerically in `matches`; equality on a number column needs numbers.
        if column == .severity, (c.equals + c.notEquals).contains(where: { Double($0) == nil }) { return nil }
        if column == .archived, (c.equals + c.notEquals).contains(where: { $0.lowercased() != "true" && $0.lowercased() != "false" }) { return nil }
        if column == .archived || column == .severity, !(c.matches + c.notMatches).isEmpty { return nil }
        var tests: [FindingSelection.Test] = []
        if !c.equals.isEmpty { tests.append(.oneOf(c.equals)) }
        if !c.notEquals.isEmpty { tests.append(.noneOf(c.notEquals)) }
        if !c.matches.isEmpty { tests.append(.matchesAny(c.matches)) }
        if !c.notMatches.isEmpty { tests.append(.matchesNone(c.notMatches)) }
        let bounds = [c.greaterThan, c.greaterThanOrEqual, c.lessThan, c.lessThanOrEqual]
        if bounds.contains(where: { $0 != nil }) {
            if let column, column != .severity, !column.isTime { return nil }
            // The tightest of each side; `gt` and `gte` on one side keep the stricter.
            let above: (Double, Bool)? = switch (c.greaterThan, c.greaterThanOrEqual) {
            case let (gt?, gte?): gt >= gte ? (gt, false) : (gte, true)
            case let (gt?, nil): (gt, false)
            case let (nil, gte?): (gte, true)
            default: nil
            }
            let below: (Double, Bool)? = switch (c.lessThan, c.lessThanOrEqual) {
            case let (lt?, lte?): lt <= lte ? (lt, false) : (lte, true)
            case let (lt?, nil): (lt, false)
            case let (nil, lte?): (lte, true)
            default: nil
            }
            tests.append(.between(above: above?.0, orEqual: above?.1 ?? false, below: below?.0, belowOrEqual: below?.1 ?? false))
        }
        return tests
    }

    public var isEmpty: Bool { conditions.isEmpty }
}
