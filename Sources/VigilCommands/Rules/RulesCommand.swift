import ArgumentParser
import Foundation
import VigilLogs
import VigilRules

/// `vigil rules`: Sigma rules, checked and tried on logs.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check Sigma rules, and try them on log files.",
        discussion: """
            Vigil runs Sigma rules for CloudTrail (`logsource: {product: aws, service: cloudtrail}`), \
            VPC Flow Logs (`service: vpcflowlogs`) and Resolver query logs (`service: route53resolver`) \
            beside its built-in detectors: `vigil scan --rules PATH`, `vigil serve --rules PATH`, or \
            `"rules": [PATH, …]` in the configuration file.
            """,
        subcommands: [RulesCheckCommand.self, RulesTestCommand.self]
    )
}

/// `vigil rules check PATH…`.
struct RulesCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load Sigma rules and report every problem, with its file, line and construct.",
        discussion: "Exits 0 when every rule loads (warnings allowed), 65 when any is left out."
    )

    @Argument(help: "Rule files, or folders of .yml/.yaml files.")
    var paths: [String]

    func run() throws {
        let set = RuleSet(paths: paths)
        for problem in set.problems { Terminal.writeError("\(problem)\n") }
        let routed = set.rules.filter { $0.eventNames != nil }.count
        Terminal.writeOutput("""
            \(set.files.count) files: \(set.rules.count) rules and \(set.correlations.count) correlations loaded \
            (\(routed) routed by event name), \(set.errors.count) left out, \
            \(set.problems.count - set.errors.count) warnings

            """)
        if !set.errors.isEmpty { throw ExitCode(65) }  // EX_DATAERR
    }
}

/// `vigil rules test RULE LOGS…`.
struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show which records of LOGS each rule matches, and why.",
        discussion: "Prints one line per match: the record, its event, the rule, and the searches that held."
    )

    @Argument(help: "A rule file or a folder of rules.")
    var rule: String

    @Argument(help: "Log files or folders (CloudTrail, VPC Flow Logs, Resolver query logs).")
    var logs: [String]

    func run() throws {
        let set = RuleSet(paths: [rule])
        for problem in set.problems { Terminal.writeError("\(problem)\n") }
        guard !set.rules.isEmpty else {
            Terminal.writeError("vigil rules test: no rule loaded from \(rule)\n")
            throw ExitCode(65)
        }
        let files: [String]
        do {
            files = try LogFileFinder.files(under: logs)
        } catch {
            Terminal.writeError("vigil rules test: \(error)\n")
            throw ExitCode(66)
        }
        let tester = RuleTester(rules: set)
        let reader = LogReader { Terminal.writeError("vigil: \($0)\n") }
        for file in files { _ = reader.read(path: file, into: tester) }
        for match in tester.matches {
            Terminal.writeOutput("\(match.path):\(match.location)  \(match.eventTime)  \(match.eventName)  [\(match.level.rawValue)] \(match.rule)  — held: \(match.searchesHeld.joined(separator: ", ")); condition: \(match.condition)\n")
        }
        let read = SigmaLogSource.allCases.compactMap { kind in tester.records[kind].map { "\($0) \(kind.rawValue) records" } }
        Terminal.writeOutput("\(read.isEmpty ? "no records" : read.joined(separator: ", ")) in \(files.count) files, \(tester.matches.count) matches\n")
    }
}
