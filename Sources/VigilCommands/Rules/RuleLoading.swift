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

    /// Detectors for one account, fresh each time.
    static func factory(_ set: RuleSet) -> @Sendable () -> [any Detector] {
        if set.isEmpty { return { [] } }
        return { set.makeDetectors() }
    }
}
