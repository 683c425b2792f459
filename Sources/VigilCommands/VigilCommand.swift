import ArgumentParser

/// `vigil`: the command line.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct VigilCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Self-hosted threat detection for AWS logs: CloudTrail, VPC Flow Logs and Route 53 Resolver query logs.",
        discussion: """
            Vigil reads the logs an AWS estate already writes and raises findings in GuardDuty's \
            schema and finding types. It needs no agent and changes nothing it reads.
            """,
        version: VigilVersion.current,
        subcommands: [ScanCommand.self, ServeCommand.self, SimulateCommand.self, FindingsCommand.self, IntelCommand.self, RulesCommand.self, BenchCommand.self, CatalogueCommand.self, ModelCommand.self]
    )

    public init() {}
}

public enum VigilVersion {
    public static let current = "0.1.0"
}
