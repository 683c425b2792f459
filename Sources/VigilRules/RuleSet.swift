import Foundation
import VigilDetection

/// The Sigma rules Vigil runs: read from files and folders, checked, correlations linked to the
/// rules they name. Rules with errors are left out and reported (``problems``); the rest run.
///
/// Every account gets its own detectors (``makeDetectors()``), as with the built-in ones, so a
/// correlation's groups never mix accounts.
public struct RuleSet: Sendable {
    /// The detection rules that loaded, in file order.
    public private(set) var rules: [SigmaRule] = []
    /// The correlation rules that loaded, each with the rules it correlates.
    public private(set) var correlations: [(correlation: SigmaCorrelation, rules: [SigmaRule])] = []
    /// Errors (rules left out) and warnings (rules that run, with a caveat).
    public private(set) var problems: [SigmaProblem] = []
    /// Files read.
    public private(set) var files: [String] = []

    /// The folder of Vigil's own rule pack (`Sources/VigilRules/Pack`, installed beside the
    /// binary as a resource bundle), or `nil` when the bundle is missing.
    public static var packFolder: String? {
        guard let url = Bundle.module.url(forResource: "Pack", withExtension: nil) else { return nil }
        return url.path
    }

    /// The largest rule file read (a rule is a few kilobytes).
    public static let maximumFileSize = 1 << 20

    public init() {}

    /// Reads every `.yml`/`.yaml` file at `paths` (files, or folders searched recursively in name order).
    public init(paths: [String]) {
        var early: [SigmaProblem] = []
        var found: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                early.append(SigmaProblem(file: path, line: nil, construct: "path", "no such file or folder"))
                continue
            }
            if isFolder.boolValue {
                let enumerator = FileManager.default.enumerator(atPath: path)
                var inFolder: [String] = []
                while let name = enumerator?.nextObject() as? String {
                    if name.hasSuffix(".yml") || name.hasSuffix(".yaml") { inFolder.append((path as NSString).appendingPathComponent(name)) }
                }
                found += inFolder.sorted()
            } else {
                found.append(path)
            }
        }
        var reader: [(file: String, text: String)] = []
        for file in found {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                  let size = attributes[.size] as? Int else {
                early.append(SigmaProblem(file: file, line: nil, construct: "file", "cannot be read"))
                continue
            }
            guard size <= Self.maximumFileSize else {
                early.append(SigmaProblem(file: file, line: nil, construct: "file", "is \(size) bytes; rule files are at most \(Self.maximumFileSize)"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                early.append(SigmaProblem(file: file, line: nil, construct: "file", "cannot be read"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                early.append(SigmaProblem(file: file, line: nil, construct: "file", "is not UTF-8 text"))
                continue
            }
            reader.append((file, text))
        }
        self.init(texts: reader)
        problems = early + problems
    }

    /// Reads rule texts already in memory, each named by its file.
    public init(texts: [(file: String, text: String)]) {
        var pending: [SigmaCorrelation] = []
        for (file, text) in texts {
            var reader = SigmaRuleReader(file: file)
            reader.read(text)
            files.append(file)
            problems += reader.problems
            for rule in reader.rules {
                problems += rule.warnings
                rules.append(rule)
            }
            pending += reader.correlations
        }
        var byReference: [String: SigmaRule] = [:]
        for rule in rules {
            if let id = rule.id { byReference[id] = rule }
            if let name = rule.name { byReference[name] = rule }
        }
        for correlation in pending {
            problems += correlation.warnings
            var linked: [SigmaRule] = []
            var missing: [String] = []
            for reference in correlation.ruleReferences {
                if let rule = byReference[reference] { linked.append(rule) } else { missing.append(reference) }
            }
            if let other = linked.first(where: { $0.source != .cloudTrail }) {
                problems.append(SigmaProblem(file: correlation.file, line: correlation.rulesLine, construct: "correlation.rules",
                                             "`\(other.name ?? other.id ?? other.title)` reads \(other.source.rawValue) records; correlations are supported over CloudTrail rules"))
                continue
            }
            guard missing.isEmpty else {
                problems.append(SigmaProblem(file: correlation.file, line: correlation.rulesLine, construct: "correlation.rules",
                                             "no loaded rule has the name or id \(missing.map { "`\($0)`" }.joined(separator: ", "))"))
                continue
            }
            correlations.append((correlation, linked))
        }
        // Rules correlated without `generate: true` raise no findings of their own (Sigma's default).
        let silenced = Set(correlations.filter { !$0.correlation.generate }.flatMap { $0.rules.map(\.key) })
        let generated = Set(correlations.filter { $0.correlation.generate }.flatMap { $0.rules.map(\.key) })
        standalone = rules.filter { !silenced.contains($0.key) || generated.contains($0.key) }
        compiled = standalone.map(CompiledRule.init)
        correlationPrograms = correlations.map { $0.rules.map(RuleProgram.init) }
    }

    /// ``standalone`` compiled, once for every account's detectors.
    private var compiled: [CompiledRule] = []
    /// Each correlation's rules compiled, likewise.
    private var correlationPrograms: [[RuleProgram]] = []

    /// The rules that raise findings of their own.
    public private(set) var standalone: [SigmaRule] = []

    /// The errors among ``problems`` (rules left out).
    public var errors: [SigmaProblem] { problems.filter { $0.severity == .error } }

    /// Whether any rule runs.
    public var isEmpty: Bool { standalone.isEmpty && correlations.isEmpty }

    /// The most backtracking steps one regular-expression search may take before it gives up.
    public static let regexStepLimit = Int(SigmaRegex.matchLimit)

    /// The rules whose regular-expression searches ended at PCRE2's limit so far, with how many
    /// did (each counted as no match): a value built against the expression, or an expression that
    /// backtracks on ordinary values. Rules with none are left out.
    public var regexSearchesGivenUp: [(rule: SigmaRule, searches: Int)] {
        rules.compactMap { rule in
            let count = rule.regexSearchesGivenUp
            return count > 0 ? (rule, count) : nil
        }
    }

    /// Fresh detectors for one account.
    public func makeDetectors() -> [any Detector] {
        compiled.map { rule -> any Detector in
            switch rule.rule.source {
            case .cloudTrail: SigmaRuleDetector(rule)
            case .flowLogs: SigmaFlowRuleDetector(rule)
            case .resolver: SigmaDNSRuleDetector(rule)
            }
        } + zip(correlations, correlationPrograms).map {
            SigmaCorrelationDetector(correlation: $0.correlation, rules: $0.rules, programs: $1) as any Detector
        }
    }
}

extension SigmaRule {
    /// What tells two loaded rules apart: file, line and title.
    var key: String { "\(file):\(line ?? 0):\(title)" }
}
