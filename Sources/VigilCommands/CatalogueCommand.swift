import ArgumentParser
import VigilModel

/// `vigil catalogue`: the finding types Vigil knows, with their default severities.
struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "List the GuardDuty finding types Vigil knows, with default severities.")

    func run() throws {
        var out = "TYPE\tSOURCE\tSEVERITY\n"
        for info in FindingCatalogue.all {
            out += "\(info.type)\t\(info.dataSource.rawValue)\t\(info.severityLevel.rawValue)\(info.variesWithContext ? "*" : "") (\(info.defaultSeverity))\n"
        }
        Terminal.writeOutput(out)
    }
}
