/// A named search of a rule's `detection`: a map of field tests that must all hold, or a list of
/// such maps of which one must. A class (immutable), so it is shared, not copied, per event.
final class SigmaSearch: Sendable {
    /// Alternatives (a list of maps); each is field tests that must all hold.
    let alternatives: [[FieldTest]]

    init(alternatives: [[FieldTest]]) { self.alternatives = alternatives }

    func matches(_ view: some SigmaRecordView) -> Bool {
        for tests in alternatives {
            var all = true
            for test in tests where !test.matches(view) {
                all = false
                break
            }
            if all { return true }
        }
        return false
    }

    /// The regular expressions of its `re` tests.
    var regexes: [SigmaRegex] {
        alternatives.joined().flatMap { test -> [SigmaRegex] in
            if case .regexes(let regexes) = test.values { return regexes }
            return []
        }
    }

    /// The event names this search can match, when every alternative pins `eventName` to plain
    /// values (no wildcard, no other modifier); `nil` otherwise.
    var eventNames: Set<String>? {
        var names: Set<String> = []
        for tests in alternatives {
            guard let pinned = tests.lazy.compactMap(\.pinnedEventNames).first else { return nil }
            names.formUnion(pinned)
        }
        return names
    }
}

extension FieldTest {
    /// The event names an `eventName: …` test with plain values allows.
    var pinnedEventNames: Set<String>? {
        guard case .cloudTrail(.field(.eventName)) = path, !requiresAll, !matchesAbsent, case .patterns(let patterns) = values else { return nil }
        var names: Set<String> = []
        for p in patterns {
            // AWS writes API names in PascalCase; a value written otherwise (Sigma compares
            // without case) could match only through the comparison, so the rule is not routed.
            guard case .equal = p.test, let first = p.written.utf8.first, first >= 0x41, first <= 0x5A else { return nil }
            names.insert(p.written)
        }
        return names
    }
}
