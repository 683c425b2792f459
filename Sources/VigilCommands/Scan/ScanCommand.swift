import ArgumentParser
import Foundation
import VigilDetection
import VigilGeo
import VigilIntel
import VigilAWS
import VigilIngest
import VigilLogs
import VigilModel

/// `vigil scan PATH…`: analyse log files and folders as a batch (backfill or replay).
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Analyse log files and folders as a batch and print the findings.",
        discussion: """
            PATH may be a file or a folder (walked recursively): the S3 layout \
            (AWSLogs/<account>/CloudTrail|vpcflowlogs|vpcdnsquerylogs/…) or loose files, plain or gzip. \
            Each file's kind is recognised from its content. A summary goes to standard error; the \
            exit status is non-zero only for usage errors and paths that cannot be read.

            PATH may also be s3://BUCKET/PREFIX: the objects under it are read in place, with the \
            standard AWS credential chain (environment, AWS_PROFILE and the shared files, a web \
            identity token, container or instance credentials) and AWS_REGION; AWS_ENDPOINT_URL_S3 or \
            AWS_ENDPOINT_URL names an S3-compatible endpoint. With --since, only the S3 layout's date \
            folders from that day on are listed.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, table
    }

    @Argument(help: "Log files, folders or s3://BUCKET/PREFIX locations to analyse.")
    var paths: [String]

    @Option(help: "Output format: json (GetFindings response body) or table. Default: table on a terminal, json otherwise.")
    var format: OutputFormat?

    @Option(help: "Only analyse records at or after this event time (ISO-8601, e.g. 2023-11-14T00:00:00Z).")
    var since: String?

    @Option(help: "Only analyse records at or before this event time (ISO-8601).")
    var until: String?

    @Option(name: .customLong("threat-list"), help: ArgumentHelp(
        "A threat list to match against (repeatable): [CATEGORY=][FORMAT:]PATH.",
        discussion: "FORMAT is TXT, STIX, OTX_CSV, ALIEN_VAULT, PROOF_POINT, FIRE_EYE, ZEEK or HOSTS (default: from the file). CATEGORY is custom (the default: raises the .Custom finding types) or one of Vigil's feed categories: \(ThreatCategory.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "list"))
    var threatLists: [String] = []

    @Option(help: "The feeds folder `vigil intel update` fills (default: $VIGIL_FEEDS_DIR or ~/.local/share/vigil/feeds); its lists are used when present.")
    var feedsDir: String?

    @Flag(help: "Do not use Vigil's built-in lists (public resolvers, DoH/DoT endpoints, mining pools) or the feeds folder.")
    var noBuiltinIntel = false

    @Option(name: .customLong("trusted-ips"), help: ArgumentHelp(
        "A trusted IP list (repeatable): [FORMAT:]PATH. No CloudTrail or flow-log finding is raised for activity from these addresses.",
        valueName: "list"))
    var trustedLists: [String] = []

    @Option(help: "The Public Suffix List (default: Debian's /usr/share/publicsuffix/public_suffix_list.dat).")
    var publicSuffixList: String?

    @Option(name: .customLong("geoip-mmdb"), help: ArgumentHelp(
        "A MaxMind DB file (GeoLite2 or DB-IP City, Country or ASN) for remote-address details (repeatable).",
        discussion: "Consulted before Debian's libloc database (ASN, country) and Tor's GeoIP ranges (country), which are used when installed.",
        valueName: "path"))
    var geoipDatabases: [String] = []

    @Flag(help: "Do not add country and organisation details to remote addresses.")
    var noGeoip = false

    @Option(help: "A configuration file (JSON): threat and trusted lists, feeds folder, GeoIP databases. Command-line options add to it.")
    var config: String?

    @Option(help: "How many bad-record messages to print (all are counted).")
    var maxIssues: Int = 20

    @Flag(help: "Print no summary on standard error.")
    var quiet = false

    @Flag(help: .hidden)
    var printPeakMemory = false

    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "Sigma rules to run beside the built-in detectors: a .yml file or a folder of them (repeatable).",
        valueName: "path"))
    var rules: [String] = []

    @Flag(help: "Do not run Vigil's own rule pack (the attacker techniques GuardDuty's catalogue misses).")
    var noRulePack = false

    @Option(help: "Partitions of the analysis, each on a thread (default: one per core). Accounts are split among them; the findings do not depend on it.")
    var workers: Int?

    @Option(help: "S3 objects downloaded at once (default: 8).")
    var s3Downloads: Int?

    func validate() throws {
        if let since, Timestamp(iso8601: since) == nil { throw ValidationError("--since: not an ISO-8601 time: \(since)") }
        if let workers, !(1...256).contains(workers) { throw ValidationError("--workers: between 1 and 256") }
        if let until, Timestamp(iso8601: until) == nil { throw ValidationError("--until: not an ISO-8601 time: \(until)") }
        for path in paths where S3Location.isS3(path) && S3Location(path) == nil {
            throw ValidationError("\(path): not an S3 location (s3://BUCKET/PREFIX, the bucket a valid S3 bucket name)")
        }
        if let s3Downloads, !(1...64).contains(s3Downloads) { throw ValidationError("--s3-downloads: between 1 and 64") }
        if maxIssues < 0 { throw ValidationError("--max-issues must be 0 or more") }
        for list in threatLists where ThreatListSource(argument: list) == nil { throw ValidationError("--threat-list: cannot read '\(list)'") }
        for list in trustedLists where ThreatListSource(argument: list) == nil { throw ValidationError("--trusted-ips: cannot read '\(list)'") }
    }

    func run() async throws {
        let lower = since.flatMap { Timestamp(iso8601: $0) } ?? Timestamp(millisecondsSinceEpoch: .min)
        let upper = until.flatMap { Timestamp(iso8601: $0) } ?? Timestamp(millisecondsSinceEpoch: .max)
        guard lower <= upper else { throw ValidationError("--since is after --until") }
        let locations = paths.compactMap(S3Location.init)
        var items: [Scan.Item]
        do {
            items = try LogFileFinder.files(under: paths.filter { !S3Location.isS3($0) }).map(Scan.Item.file)
        } catch {
            Terminal.writeError("vigil scan: \(error)\n")
            throw ExitCode(66)  // EX_NOINPUT
        }
        var fetcher: S3ObjectFetcher?
        if !locations.isEmpty {
            let client = S3Client(credentials: CredentialChain(), region: AWSRegion.resolve())
            let listing = S3LogListing(client: client)
            for location in locations {
                do {
                    let objects = try await listing.objects(under: location, since: since.flatMap { Timestamp(iso8601: $0) })
                    items += objects.map { Scan.Item.object(bucket: location.bucket, $0) }
                } catch {
                    Terminal.writeError("vigil scan: \(location): \(error)\n")
                    throw ExitCode(66)
                }
            }
            fetcher = S3ObjectFetcher(client: client, parallel: s3Downloads ?? 8)
        }
        var configuration = VigilConfiguration()
        if let config {
            do {
                configuration = try VigilConfiguration.load(path: config)
            } catch {
                Terminal.writeError("vigil scan: \(error)\n")
                throw ExitCode(78)  // EX_CONFIG
            }
        }
        let intel: ThreatIntelligence
        do {
            intel = try configuration.intelligence(
                builtIn: !noBuiltinIntel, feedsDirectory: feedsDir,
                threatLists: threatLists.compactMap { ThreatListSource(argument: $0) },
                trustedLists: trustedLists.compactMap { ThreatListSource(argument: $0) })
        } catch {
            Terminal.writeError("vigil scan: \(error)\n")
            throw ExitCode(66)
        }
        if !quiet {
            for issue in intel.issues.prefix(maxIssues) { Terminal.writeError("vigil: \(issue)\n") }
        }
        let suffixPath = publicSuffixList ?? configuration.publicSuffixList
        var suffixes = PublicSuffixList.load(path: suffixPath)
        if suffixes == nil, let path = suffixPath {
            Terminal.writeError("vigil scan: cannot read the Public Suffix List at \(path)\n")
            throw ExitCode(66)
        }
        if suffixes?.ruleCount == 0 { suffixes = nil }
        var enricher: IPEnricher?
        if !noGeoip && (configuration.geoip?.enabled ?? true) {
            do {
                enricher = try IPEnricher.standard(maxMindPaths: (configuration.geoip?.maxMindDatabases ?? []) + geoipDatabases,
                                                   awsRanges: noBuiltinIntel ? nil : configuration.awsRanges(feedsDirectory: feedsDir))
            } catch {
                Terminal.writeError("vigil scan: \(error)\n")
                throw ExitCode(66)
            }
        }
        let ruleSet = RuleLoading.load((configuration.rules ?? []) + rules, pack: !noRulePack && configuration.rulePack != false, command: "scan", quiet: quiet)
        let scan = Scan(window: (since != nil || until != nil) ? lower...upper : nil, intel: intel, publicSuffixes: suffixes, settings: configuration.detection,
                        enricher: enricher, maxIssues: quiet ? 0 : maxIssues, showProgress: !quiet && Terminal.stderrIsTerminal,
                        workers: workers, addedDetectors: RuleLoading.factory(ruleSet))
        let result = await scan.run(items: items, fetcher: fetcher)

        let chosen = format ?? (Terminal.stdoutIsTerminal ? .table : .json)
        switch chosen {
        case .json: Terminal.writeOutput(try FindingsOutput.json(result.findings))
        case .table: Terminal.writeOutput(FindingsOutput.table(result.findings))
        }
        if !quiet { Terminal.writeError(result.summary + RuleLoading.givenUpWarnings(ruleSet, command: "scan")) }
        if printPeakMemory { Terminal.writeError("peak-resident-bytes \(Terminal.peakResidentBytes())\n") }
        if result.statistics.unreadableFiles > 0 { throw ExitCode(74) }  // EX_IOERR
    }
}
