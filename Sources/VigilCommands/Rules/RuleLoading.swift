import VigilDetection
import VigilRules

/// The Sigma rules `vigil scan` and `vigil serve` run: the configuration file's `rules` and the
/// `--rules` options, loaded once; every problem is printed, the rules that load run.
enum RuleLoading {
    static func load(_ paths: [String], command: String, quiet: Bool) -> RuleSet {
        guard !paths.isEmpty else { return RuleSet() }
        let set = RuleSet(paths: paths)
        if !quiet {
            for problem in set.problems { Terminal.writeError("vigil \(command): \(problem)\n") }
            Terminal.writeError("vigil \(command): Sigma rules: \(set.rules.count) rules and \(set.correlations.count) correlations loaded from \(set.files.count) files\(set.errors.isEmpty ? "" : ", \(set.errors.count) left out (above)")\n")
        }
        return set
    }

    /// Detectors for one account, fresh each time.
    static func factory(_ set: RuleSet) -> @Sendable () -> [any Detector] {
        if set.isEmpty { return { [] } }
        return { set.makeDetectors() }
    }
}
