import ArgumentParser
import CVigilJSON
import Foundation
import VigilDetection
import VigilGeo
import VigilIntel
import VigilLogs
import VigilModel
import VigilPipeline
import VigilRules
import VigilSimulation

/// `vigil bench`: measures throughput on generated CloudTrail and flow logs, each figure beside a
/// baseline measured in the same run on the same files.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure parsing and end-to-end scan throughput on one core, beside baselines.",
        discussion: """
            Generates realistic CloudTrail (`{"Records":[…]}` documents, ~1.4 KB an event) and VPC Flow \
            Logs (default format) into a work folder, plain and gzip, then measures on one thread: \
            Vigil's parser alone, simdjson walking the same fields with no Swift (C only), Python \
            orjson / str.split on the same files, and `vigil scan` end to end with every detector. \
            Each figure is the best of --repeat runs. Resident memory is reported after scanning \
            the file set once and four times, to show it does not grow with the number of files.
            """)

    @Option(help: "CloudTrail events to generate.")
    var events = 400_000

    @Option(help: "Flow-log records to generate.")
    var flowRecords = 4_000_000

    @Option(help: "Files to spread each data set over.")
    var files = 40

    @Option(help: "Runs of each measurement; the best is reported.")
    var `repeat` = 3

    @Option(help: "Work folder (default: a new temporary folder, removed afterwards).")
    var workDir: String?

    @Flag(help: "Skip the Python baselines.")
    var noPython = false

    @Flag(help: "Skip the measurements made in child processes (profile memory, peak resident memory, a small scan's fixed cost): a short run, as the test suite makes.")
    var quick = false

    enum Suite: String, ExpressibleByArgument, CaseIterable { case all, logs, rules, intel, profiles, geo }

    @Option(help: "What to measure: logs (parsing and scans), rules (only what --rules cost CloudTrail with every default on), intel (indicator lookups), profiles (baseline memory), geo (geolocation lookups) or all.")
    var suite: Suite = .all

    @Option(help: "Indicators in each set for the intel suite, and in the threat list the logs suite scans with.")
    var indicators = 1_000_000

    @Option(help: "IPv4 lookups for the intel suite (domains: a tenth as many).")
    var lookups = 20_000_000

    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "Sigma rules (a file or folder, repeatable) whose cost the logs suite measures: CloudTrail with every default on, with and without them.",
        valueName: "path"))
    var rules: [String] = []

    func run() throws {
        if suite == .profiles {
            print(BaselineBench.run())
            return
        }
        if suite == .geo || suite == .all {
            print(GeoBench.run())
            if suite == .geo { return }
        }
        if suite != .logs && suite != .rules {
            print(IntelBench.run(entries: indicators, lookups: lookups, repeats: self.repeat))
        }
        if suite == .intel { return }
        let root = workDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bench-\(getpid())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { if workDir == nil { try? FileManager.default.removeItem(at: root) } }

        let material = try BenchMaterial.generate(in: root, events: events, flowRecords: flowRecords, files: files)
        print("vigil bench — one core, best of \(self.repeat); simdjson implementation: \(String(cString: vj_implementation_name()))")
        print("CloudTrail: \(material.events) events in \(files) files, \(mb(material.cloudTrailBytes)) MB plain (\(material.cloudTrailBytes / UInt64(max(material.events, 1))) B/event), \(mb(material.cloudTrailGzipBytes)) MB gzip")
        print("Flow logs:  \(material.flowRecords) records in \(files) files, \(mb(material.flowBytes)) MB plain (\(material.flowBytes / UInt64(max(material.flowRecords, 1))) B/record), \(mb(material.flowGzipBytes)) MB gzip")
        print("")

        if suite == .rules {
            let builtIn = try ThreatIntelligence.load(threatLists: BuiltInLists.sources)
            let cost = ruleCost(material, intel: builtIn, geo: { try? IPEnricher.standard() }, packSet: Self.packSet())
            var table = BenchTable()
            table.add("Defaults", "CloudTrail .json, 1 worker", cost.pack, baseline: nil)
            cost.addRulesRow(to: &table)
            print(table.render())
            print(cost.text)
            return
        }
        var table = BenchTable()
        let n = Double(material.events)
        do {
            let loaded = try material.cloudTrailPlain.map { try LoadedFile(path: $0) }
            let simd = n / best { Self.simdjsonOnly(loaded) }
            table.add("CloudTrail", "simdjson alone (C, same fields, no Swift)", simd, baseline: ("simdjson", simd))
            table.add("CloudTrail", "Vigil parser (Swift over simdjson)", n / best { Self.parseOnly(loaded) }, baseline: ("simdjson", simd))
        }
        var ctBaseline: (String, Double)?
        if !noPython, let seconds = PythonBaseline.cloudTrail(files: material.cloudTrailPlain) {
            ctBaseline = ("orjson", n / seconds)
            table.add("CloudTrail", "Python orjson, same fields", n / seconds, baseline: ("orjson", n / seconds))
        }
        let ctEverything = n / best { Self.scan(material.cloudTrailPlain) }
        let withoutBaselines = LogScan.builtInDetectors().filter { !Self.isBaseline($0) }
        let ctRules = n / best { Self.scan(material.cloudTrailPlain, detectors: withoutBaselines) }
        table.add("CloudTrail", "… .json, rules only (no baselines)", ctRules, baseline: ctBaseline)
        table.add("CloudTrail", "vigil scan end to end, .json", ctEverything, baseline: ctBaseline)
        table.add("CloudTrail", "… .json, addresses located (libloc)", n / best { Self.scan(material.cloudTrailPlain, geo: { try? IPEnricher.standard() }) },
                  baseline: ctBaseline)
        table.add("CloudTrail", "vigil scan end to end, .json.gz", n / best { Self.scan(material.cloudTrailGzip) }, baseline: ctBaseline)

        let f = Double(material.flowRecords)
        var flowBaseline: (String, Double)?
        if !noPython, let seconds = PythonBaseline.flows(files: material.flowPlain) {
            flowBaseline = ("py split", f / seconds)
            table.add("Flow logs", "Python bytes.split + int(), same fields", f / seconds, baseline: flowBaseline)
        }
        do {
            let loaded = try material.flowPlain.map { try LoadedFile(path: $0) }
            table.add("Flow logs", "Vigil parser (bytes to integers)", f / best { Self.parseOnly(loaded) }, baseline: flowBaseline)
        }
        let foundation = f / best { Self.scan(material.flowPlain, detectors: CloudTrailDetectors.all()) }
        table.add("Flow logs", "… .log, foundation detectors (no flow rules)", foundation, baseline: flowBaseline)
        let everything = f / best { Self.scan(material.flowPlain) }
        table.add("Flow logs", "vigil scan end to end, .log", everything, baseline: flowBaseline)
        table.add("Flow logs", "vigil scan end to end, .log.gz", f / best { Self.scan(material.flowGzip) }, baseline: flowBaseline)
        // The same scan with a threat list of --indicators entries (a million by default): every flow's remote address is looked up.
        let listPath = root.appendingPathComponent("bench-threat-list.txt").path
        var random = SplitMix64(state: 0xB1AC)
        var listText = ""
        listText.reserveCapacity(16 << 20)
        for i in 0..<indicators {
            let v = UInt32(truncatingIfNeeded: random.next())
            listText += i % 10 == 0 ? "\(v >> 24).\(v >> 16 & 255).\(v >> 8 & 255).0/24\n" : "\(v >> 24).\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)\n"
        }
        try listText.write(toFile: listPath, atomically: true, encoding: .utf8)
        let intel = try ThreatIntelligence.load(threatLists: [ThreatListSource(category: .commandAndControl, path: listPath)])
        let builtIn = try ThreatIntelligence.load(threatLists: BuiltInLists.sources)
        table.add("Flow logs", "… .log, with Vigil's built-in lists", f / best { Self.scan(material.flowPlain, intel: builtIn) }, baseline: flowBaseline)
        table.add("Flow logs", "… .log, with a \(indicators / 1000)k-indicator threat list", f / best { Self.scan(material.flowPlain, intel: intel) }, baseline: flowBaseline)
        table.add("CloudTrail", "… .json, with Vigil's built-in lists", n / best { Self.scan(material.cloudTrailPlain, intel: builtIn) }, baseline: ctBaseline)
        table.add("CloudTrail", "… .json, with a \(indicators / 1000)k-indicator threat list", n / best { Self.scan(material.cloudTrailPlain, intel: intel) }, baseline: ctBaseline)
        // Every default on, as `vigil scan` runs: geolocation, Vigil's built-in lists, every detector, the rule pack.
        let located: () -> IPEnricher? = { try? IPEnricher.standard() }
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let packSet = Self.packSet()
        let pack = RuleLoading.factory(packSet)
        let ctDefaultGzip = n / best { Self.scan(material.cloudTrailGzip, intel: builtIn, geo: located, addedDetectors: pack) }
        let ctDefaultParallel = n / best { Self.scan(material.cloudTrailPlain, intel: builtIn, geo: located, workers: workers, addedDetectors: pack) }
        let ctNoGeo = n / best { Self.scan(material.cloudTrailPlain, intel: builtIn, addedDetectors: pack) }
        let ctNoPack = n / best { Self.scan(material.cloudTrailPlain, intel: builtIn, geo: located) }
        let costs = ruleCost(material, intel: builtIn, geo: located, packSet: packSet, noPack: ctNoPack)
        let ctDefault = costs.pack
        table.add("Defaults", "CloudTrail .json, 1 worker (target 700k)", ctDefault, baseline: ("700k", 700_000))
        table.add("Defaults", "CloudTrail .json.gz, 1 worker (target 450k)", ctDefaultGzip, baseline: ("450k", 450_000))
        table.add("Defaults", "CloudTrail .json, 1 worker, --no-geoip", ctNoGeo, baseline: ("geo on", ctDefault))
        table.add("Defaults", "CloudTrail .json, 1 worker, --no-rule-pack", ctNoPack, baseline: ("pack on", ctDefault))
        table.add("Defaults", "CloudTrail .json, \(workers) workers", ctDefaultParallel, baseline: ("1 worker", ctDefault))
        costs.addRulesRow(to: &table)
        let flowDefault = f / best { Self.scan(material.flowPlain, intel: builtIn, geo: located) }
        let flowDefaultGzip = f / best { Self.scan(material.flowGzip, intel: builtIn, geo: located) }
        let flowDefaultParallel = f / best { Self.scan(material.flowPlain, intel: builtIn, geo: located, workers: workers) }
        table.add("Defaults", "Flow logs .log, 1 worker (target 6M)", flowDefault, baseline: ("6M", 6_000_000))
        table.add("Defaults", "Flow logs .log.gz, 1 worker (target 3M)", flowDefaultGzip, baseline: ("3M", 3_000_000))
        table.add("Defaults", "Flow logs .log, \(workers) workers", flowDefaultParallel, baseline: ("1 worker", flowDefault))
        print(table.render())
        print(String(format: "Every core: %d workers scan CloudTrail %.2fx and flow logs %.2fx as fast as one (target 1.8x on 2 cores).",
                     workers, ctDefaultParallel / ctDefault, flowDefaultParallel / flowDefault))
        print(String(format: "Geolocation costs %.1f%% of CloudTrail throughput with every address new.", (1 - ctDefault / ctNoGeo) * 100))
        print(costs.text)
        // The fixed cost of a small scan: 103 events, with and without geolocation, in a child process.
        let small = root.appendingPathComponent("small-103.json").path
        var few = CloudTrailSynthesizer()
        try Data(few.document(count: 103, startingAt: 1_700_000_000)).write(to: URL(fileURLWithPath: small))
        if !quick, let withGeo = Self.childScan([small], arguments: []), let without = Self.childScan([small], arguments: ["--no-geoip"]) {
            print(String(format: "A 103-event scan: %.2f s and %@ MB peak resident with geolocation, %.2f s and %@ MB without.",
                         withGeo.seconds, mb(UInt64(withGeo.bytes)), without.seconds, mb(UInt64(without.bytes))))
        }
        print(String(format: "Flow rules (scans, brute force, DoS, DNS bypass, traffic models) cost %.1f%% of the foundation's flow throughput.", (1 - everything / foundation) * 100))
        print(String(format: "Baselines (principal profiles, logins, instance credentials) cost %.1f%% of the CloudTrail rules' throughput.", (1 - ctEverything / ctRules) * 100))
        print("")
        if quick { return }
        // In a fresh process, so that its resident memory tells what the profiles take.
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["bench", "--suite", "profiles"]
            let out = Pipe()
            process.standardOutput = out
            if (try? process.run()) != nil {
                print(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), terminator: "")
                process.waitUntilExit()
            }
        }

        // Memory: `vigil scan` in a child process over the gzip files, then over four times as
        // many (each file named four times); its peak resident memory should not grow.
        let all = material.cloudTrailGzip + material.flowGzip
        if let once = Self.peakResidentOfScan(all), let four = Self.peakResidentOfScan(all + all + all + all) {
            print("")
            print("Memory: vigil scan peak resident \(mb(UInt64(once))) MB over \(all.count) gzip files, \(mb(UInt64(four))) MB over \(all.count * 4)")
        }
    }

    /// Peak resident memory of `vigil scan --quiet --no-geoip` over `paths`, run as a child process.
    static func peakResidentOfScan(_ paths: [String]) -> Int? {
        childScan(paths, arguments: ["--no-geoip"])?.bytes
    }

    /// The detectors that learn behaviour (left out to measure what they cost).
    static func isBaseline(_ detector: any Detector) -> Bool {
        detector is AnomalousBehaviour || detector is ConsoleLoginTravel || detector is FailedAccess
            || detector is InstanceCredentialUse || detector is InstanceTraffic
    }

    func best(_ body: () -> Double) -> Double {
        (0..<max(1, self.repeat)).map { _ in body() }.min() ?? 0
    }

    /// The best time of each of two measurements taken in turns, so that the machine's drift
    /// during the runs weighs on both alike (for a ratio of the two).
    func bestInTurns(_ first: () -> Double, _ second: () -> Double) -> (Double, Double) {
        var a = Double.infinity, b = Double.infinity
        for _ in 0..<max(1, self.repeat) {
            a = min(a, first())
            b = min(b, second())
        }
        return (a, b)
    }

    func mb(_ bytes: UInt64) -> String { String(format: "%.1f", Double(bytes) / 1e6) }

    /// simdjson alone: the C walker with no Swift callbacks.
    static func simdjsonOnly(_ files: [LoadedFile]) -> Double {
        let parser = vj_parser_create()!
        defer { vj_parser_destroy(parser) }
        let start = Terminal.now()
        var total: UInt64 = 0
        for file in files {
            total += vj_cloudtrail_document(parser, file.base, file.count, file.capacity, nil, nil, nil)
        }
        precondition(total > 0)
        return Terminal.now() - start
    }

    /// Vigil's reader with a handler that does nothing: parsing and record views only.
    static func parseOnly(_ files: [LoadedFile]) -> Double {
        let reader = LogReader()
        let sink = NullHandler()
        let start = Terminal.now()
        for file in files { reader.read(bytes: file.bytes, path: file.path, into: sink) }
        precondition(reader.statistics.totalRecords > 0)
        return Terminal.now() - start
    }

    /// What `--rules` cost: CloudTrail with every default on (`intel`, `geo`, the rule pack), with
    /// and without the rules, measured in turns; with `noPack` (the same scan without the pack),
    /// the pack's own cost too.
    private func ruleCost(_ material: BenchMaterial, intel: ThreatIntelligence, geo: @escaping () -> IPEnricher?, packSet: RuleSet,
                          noPack: Double? = nil) -> RuleCost {
        let n = Double(material.events)
        let packOnly = { Self.scan(material.cloudTrailPlain, intel: intel, geo: geo, addedDetectors: RuleLoading.factory(packSet)) }
        guard !rules.isEmpty else {
            let pack = n / best(packOnly)
            return RuleCost(pack: pack, withRules: nil, count: 0, text: noPack.map { Self.packCost(packSet, pack: pack, noPack: $0) } ?? "")
        }
        let set = RuleSet(paths: (RuleSet.packFolder.map { [$0] } ?? []) + rules)
        let added = RuleSet(paths: rules)
        let count = added.rules.count + added.correlations.count
        let (packTime, rulesTime) = bestInTurns(packOnly) {
            Self.scan(material.cloudTrailPlain, intel: intel, geo: geo, addedDetectors: RuleLoading.factory(set))
        }
        let pack = n / packTime, withRules = n / rulesTime
        var text = noPack.map { Self.packCost(packSet, pack: pack, noPack: $0) + "\n" } ?? ""
        text += String(format: "%d more Sigma rules (%d routed by event name) cost %.1f%% more (target at most 15%%)",
                       count, added.rules.filter { $0.eventNames != nil }.count, (1 - withRules / pack) * 100)
        text += noPack.map { String(format: "; pack and rules together %.1f%%.", (1 - withRules / $0) * 100) } ?? "."
        return RuleCost(pack: pack, withRules: withRules, count: count, text: text)
    }

    /// Rates with the rule pack and with `--rules` added, and the sentence that says what they cost.
    struct RuleCost {
        let pack: Double
        let withRules: Double?
        let count: Int
        let text: String

        /// The row of the scan with the rules, against the pack alone (none without rules).
        func addRulesRow(to table: inout BenchTable) {
            guard let withRules else { return }
            table.add("Defaults", "CloudTrail .json, 1 worker, + \(count) Sigma rules", withRules, baseline: ("pack only", pack))
        }
    }

    /// Vigil's rule pack, as `vigil scan` loads it by default.
    static func packSet() -> RuleSet { RuleSet.packFolder.map { RuleSet(paths: [$0]) } ?? RuleSet() }

    /// The sentence that says what the pack costs: `pack` and `noPack` are rates with and without it.
    static func packCost(_ packSet: RuleSet, pack: Double, noPack: Double) -> String {
        String(format: "Vigil's rule pack (%d rules, %d correlations) costs %.1f%% of CloudTrail throughput.",
               packSet.standalone.count, packSet.correlations.count, (1 - pack / noPack) * 100)
    }

    /// `vigil scan` end to end: read each file from disk, inflate, parse, run every detector —
    /// through the findings pipeline with `workers` partitions, or with one fixed set of `detectors`.
    /// The geolocation databases (made by `geo` before the clock starts) start with nothing cached
    /// and nothing loaded, as in a new `vigil scan`.
    static func scan(_ paths: [String], intel: ThreatIntelligence = .empty, detectors: [any Detector]? = nil,
                     geo: () -> IPEnricher? = { nil }, workers: Int = 1,
                     addedDetectors: @escaping @Sendable () -> [any Detector] = { [] }) -> Double {
        let enricher = geo()
        let start = Terminal.now()
        if let detectors {
            let scan = LogScan(detectors: detectors, intel: intel, geo: enricher)
            for path in paths { scan.read(path: path) }
            _ = scan.findings
            precondition(scan.statistics.totalRecords > 0)
        } else {
            var settings = FindingPipeline.Settings()
            settings.intel = intel
            settings.geo = enricher
            settings.workers = workers
            settings.addedDetectors = addedDetectors
            let pipeline = FindingPipeline(settings: settings, store: nil)
            pipeline.read(paths.map { LogInput(path: $0) })
            _ = try? pipeline.commit(analysed: [], usage: [])
            precondition(pipeline.statistics.totalRecords > 0)
        }
        return Terminal.now() - start
    }

    /// Wall time and peak resident memory of `vigil scan` over `paths` in a child process, as a
    /// user running it pays them (databases opened included).
    static func childScan(_ paths: [String], arguments: [String]) -> (seconds: Double, bytes: Int)? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["scan", "--quiet", "--format", "json", "--print-peak-memory"] + arguments + paths
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        let start = Terminal.now()
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let seconds = Terminal.now() - start
        return text.split(separator: "\n").compactMap { line in
            line.hasPrefix("peak-resident-bytes ") ? Int(line.dropFirst("peak-resident-bytes ".count)).map { (seconds, $0) } : nil
        }.first
    }
}

/// A file's bytes in memory, with simdjson's padding after them.
final class LoadedFile {
    let path: String
    let buffer = LogBuffer()
    init(path: String) throws {
        self.path = path
        try buffer.load(path: path)
    }
    var bytes: UnsafeRawBufferPointer { buffer.bytes }
    var base: UnsafePointer<CChar> { UnsafePointer(buffer.base.assumingMemoryBound(to: CChar.self)) }
    var count: Int { buffer.count }
    var capacity: Int { buffer.allocated }
}

final class NullHandler: LogRecordHandler {
    var touched = 0
    func handle<Record: LogRecord>(_ record: inout Record, source: LogSource) { touched &+= Int(truncatingIfNeeded: record.location.record ?? 0) }
}

/// The generated files.
struct BenchMaterial {
    var events = 0
    var flowRecords = 0
    var cloudTrailPlain: [String] = []
    var cloudTrailGzip: [String] = []
    var flowPlain: [String] = []
    var flowGzip: [String] = []
    var cloudTrailBytes: UInt64 = 0
    var cloudTrailGzipBytes: UInt64 = 0
    var flowBytes: UInt64 = 0
    var flowGzipBytes: UInt64 = 0

    static func generate(in root: URL, events: Int, flowRecords: Int, files: Int) throws -> BenchMaterial {
        var m = BenchMaterial()
        let deflater = GzipDeflater()
        var cloudTrail = CloudTrailSynthesizer()
        var flows = FlowLogSynthesizer()
        let start: Int64 = 1_700_000_000
        let accounts = (1...8).map { String(repeating: String($0), count: 12) }
        /// Writes `bytes` plain and gzip; returns both paths and sizes.
        func write(_ bytes: [UInt8], name: String, ext: String) throws -> (plain: String, gzip: String, size: UInt64, gzipSize: UInt64) {
            let plain = root.appendingPathComponent("plain/\(name).\(ext)"), gzip = root.appendingPathComponent("gzip/\(name).\(ext).gz")
            for file in [plain, gzip] { try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true) }
            try Data(bytes).write(to: plain)
            let compressed = bytes.withUnsafeBytes { deflater.compress($0) }
            try Data(compressed).write(to: gzip)
            return (plain.path, gzip.path, UInt64(bytes.count), UInt64(compressed.count))
        }
        for i in 0..<files {
            // An organisation's trail and flow logs: each file under its account's S3 prefix.
            let account = accounts[i % accounts.count]
            let day = "2023/11/14"
            let perFile = events / files + (i < events % files ? 1 : 0)
            let ct = try write(cloudTrail.document(count: perFile, startingAt: start + Int64(i * 300), account: account),
                               name: "AWSLogs/\(account)/CloudTrail/us-east-1/\(day)/\(account)_CloudTrail_us-east-1_20231114T\(String(format: "%04d", i))Z_bench", ext: "json")
            m.cloudTrailPlain.append(ct.plain)
            m.cloudTrailGzip.append(ct.gzip)
            m.cloudTrailBytes += ct.size
            m.cloudTrailGzipBytes += ct.gzipSize
            m.events += perFile

            let perFlowFile = flowRecords / files + (i < flowRecords % files ? 1 : 0)
            let flow = try write(flows.file(records: perFlowFile, startingAt: start + Int64(i * 300), account: account),
                                 name: "AWSLogs/\(account)/vpcflowlogs/us-east-1/\(day)/\(account)_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20231114T\(String(format: "%04d", i))Z_bench", ext: "log")
            m.flowPlain.append(flow.plain)
            m.flowGzip.append(flow.gzip)
            m.flowBytes += flow.size
            m.flowGzipBytes += flow.gzipSize
            m.flowRecords += perFlowFile
        }
        return m
    }
}

/// Python baselines on the same files, timed inside Python (files preloaded, parse and field
/// access only). `nil` when python3 or orjson is missing.
enum PythonBaseline {
    static let cloudTrailScript = """
    import sys, time, orjson
    datas = [open(p, 'rb').read() for p in sys.argv[1:]]
    best = None
    for _ in range(2):
        t = time.perf_counter(); n = 0
        for d in datas:
            for r in orjson.loads(d)['Records']:
                u = r.get('userIdentity') or {}
                s = (u.get('sessionContext') or {}).get('sessionIssuer') or {}
                (r.get('eventName'), r.get('eventTime'), r.get('eventSource'), r.get('awsRegion'), r.get('sourceIPAddress'),
                 r.get('userAgent'), r.get('errorCode'), r.get('eventID'), r.get('recipientAccountId'), r.get('requestParameters'),
                 u.get('type'), u.get('arn'), u.get('accessKeyId'), u.get('userName'), s.get('arn'), s.get('userName'))
                n += 1
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    print(n, best)
    """

    static let flowScript = """
    import sys, time
    datas = [open(p, 'rb').read() for p in sys.argv[1:]]
    best = None
    for _ in range(2):
        t = time.perf_counter(); n = 0
        for d in datas:
            lines = d.split(b'\\n')
            for line in lines[1:]:
                f = line.split()
                if len(f) != 14 or f[13] != b'OK':
                    continue
                (f[3], f[4], int(f[5]), int(f[6]), int(f[7]), int(f[8]), int(f[9]), int(f[10]), int(f[11]), f[12])
                n += 1
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    print(n, best)
    """

    static func cloudTrail(files: [String]) -> Double? { run(cloudTrailScript, files) }
    static func flows(files: [String]) -> Double? { run(flowScript, files) }

    static func run(_ script: String, _ files: [String]) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + files
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: " ")
        guard parts.count == 2 else { return nil }
        return Double(parts[1].trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// The printed results: each rate beside the baseline of its group, measured in the same run.
struct BenchTable {
    var rows: [(group: String, name: String, rate: Double, baseline: (String, Double)?)] = []

    mutating func add(_ group: String, _ name: String, _ rate: Double, baseline: (String, Double)?) {
        rows.append((group, name, rate, baseline))
    }

    func render() -> String {
        var out = "data        measurement                                   records/s   vs baseline\n"
        for row in rows {
            let g = row.group.padding(toLength: 11, withPad: " ", startingAt: 0)
            let n = row.name.padding(toLength: 44, withPad: " ", startingAt: 0)
            var line = "\(g) \(n) \(String(format: "%11.0f", row.rate))"
            if let (name, rate) = row.baseline { line += String(format: "   %6.2f× %@", row.rate / rate, name) }
            out += line + "\n"
        }
        return out
    }
}
