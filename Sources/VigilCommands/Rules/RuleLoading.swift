import VigilDetection
import VigilRules

/// The Sigma rules `vigil scan` and `vigil serve` run: the configuration file's `rules` and the
/// `--rules` options, loaded once; every problem is printed, the rules that load run.
enum RuleLoading {
    /// - Parameter pack: whether Vigil's own rule pack runs too (`--no-rule-pack` and the
    ///   configuration's `"rulePack": false` turn it off).
    static func load(_ paths: [String], pack: Bool, command: String, quiet: Bool) -> RuleSet {
        var all = paths
        if pack {
            if let folder = RuleSet.packFolder {
                all.insert(folder, at: 0)
            } else {
                Terminal.writeError("vigil \(command): warning: Vigil's rule pack is not installed beside the binary (vigil_VigilRules.resources); it does not run\n")
            }
        }
        guard !all.isEmpty else { return RuleSet() }
        let set = RuleSet(paths: all)
        if !quiet {
            for problem in set.problems { Terminal.writeError("vigil \(command): \(problem)\n") }
            if !paths.isEmpty || !set.problems.isEmpty {
                Terminal.writeError("vigil \(command): Sigma rules: \(set.rules.count) rules and \(set.correlations.count) correlations loaded from \(set.files.count) files\(pack ? " (the rule pack's included)" : "")\(set.errors.isEmpty ? "" : ", \(set.errors.count) left out (above)")\n")
            }
        }
        return set
    }

    /// What each rule's regular-expression searches gave up so far, by the rule's detector name.
    static func searchesGivenUp(_ set: RuleSet) -> @Sendable () -> [String: Int] {
        if set.isEmpty { return { [:] } }
        return { Dictionary(set.regexSearchesGivenUp.map { ($0.rule.detectorName, $0.searches) }, uniquingKeysWith: +) }
    }

    /// Warnings, one a line, for the rules whose searches gave up (empty when none did).
    static func givenUpWarnings(_ set: RuleSet, command: String) -> String {
        set.regexSearchesGivenUp.map { rule, searches in
            "vigil \(command): warning: \(rule.detectorName) (\(rule.file)\(rule.line.map { ":\($0)" } ?? "")): \(searches) regular-expression " +
                "searches stopped at the limit of \(RuleSet.regexStepLimit) backtracking steps and counted as no match\n"
        }.joined()
    }

    /// Detectors for one account, fresh each time.
    static func factory(_ set: RuleSet) -> @Sendable () -> [any Detector] {
        if set.isEmpty { return { [] } }
        return { set.makeDetectors() }
    }
}
