import ArgumentParser
import Foundation
import VigilDetection
import VigilGeo
import VigilLogs
import VigilModel
import VigilSimulation

/// `vigil simulate`: a realistic estate's logs with known attacks, and how Vigil does on them.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a simulated multi-account estate's logs with injected attacks; optionally scan them and report.",
        discussion: """
            Writes CloudTrail, VPC Flow Logs and Route 53 Resolver query logs, hour by hour in the S3 \
            layout under --output, for --days days of --accounts accounts: people with working hours, \
            travel and the odd new API; a CI role; instances with daily traffic cycles, nightly uploads \
            and DNS; background scanning. After --learning-days, attacks are injected at known times \
            (listed in OUTPUT/attacks.json). With --evaluate, the logs are scanned as `vigil scan` would \
            (without built-in threat lists, so that only behaviour is measured) and each attack is \
            reported detected or not, with the findings no attack explains per million benign records.
            """)

    @Option(help: "Folder to write the estate into.")
    var output: String
    @Option(help: "Days of logs.")
    var days = 14
    @Option(help: "Accounts in the estate.")
    var accounts = 3
    @Option(help: "Days before the first attack.")
    var learningDays = 7
    @Option(help: "Seed: the same seed writes the same logs.")
    var seed: UInt64 = 1
    @Flag(help: "Scan the estate and report detection and false findings.")
    var evaluate = false
    @Flag(help: "Locate addresses with this machine's geolocation databases instead of the simulator's own table of its networks.")
    var machineGeoip = false
    @Option(name: .customLong("geoip-mmdb"), help: "With --machine-geoip: a MaxMind DB file to consult first (repeatable).")
    var geoipDatabases: [String] = []

    func validate() throws {
        if days < 1 || days > 366 { throw ValidationError("--days must be between 1 and 366") }
        if accounts < 1 || accounts > 9 { throw ValidationError("--accounts must be between 1 and 9") }
        if learningDays < 0 || learningDays >= days { throw ValidationError("--learning-days must be below --days") }
    }

    func run() throws {
        var options = EstateSimulator.Options()
        options.days = days
        options.accounts = accounts
        options.learningDays = learningDays
        options.seed = seed
        // A previous estate in the folder is replaced, so that its files do not mix with these.
        let previous = (output as NSString).appendingPathComponent("attacks.json")
        if FileManager.default.fileExists(atPath: previous) {
            try? FileManager.default.removeItem(atPath: (output as NSString).appendingPathComponent("AWSLogs"))
        }
        var simulator = EstateSimulator(options: options)
        let manifest = try simulator.write(to: output)
        let total = manifest.records.values.reduce(0, +)
        Terminal.writeError("vigil simulate: \(manifest.files) files, \(total) records (\(manifest.records.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))), \(manifest.attacks.count) attacks → \(output)/attacks.json\n")
        guard evaluate else { return }
        let geo = machineGeoip ? try IPEnricher.standard(maxMindPaths: geoipDatabases) : SimulatedGeography.enricher()
        let scan = LogScan(geo: geo, onIssue: { issue in Terminal.writeError("vigil: \(issue)\n") })
        let started = Terminal.now()
        for file in try LogFileFinder.files(under: [output]) { scan.read(path: file) }
        let findings = scan.findings
        let seconds = Terminal.now() - started
        Terminal.writeOutput(SimulationReport(manifest: manifest, findings: findings).text)
        Terminal.writeOutput(String(format: "scanned %d records in %.1f s; %d findings in all\n", scan.statistics.totalRecords, seconds, findings.count))
    }
}
