import Foundation
import VigilDetection
import VigilGeo
import VigilIntel
import VigilLogs
import VigilAWS
import VigilIngest
import VigilModel
import VigilPipeline

/// Runs a batch scan with a human-facing progress line and summary.
struct Scan {
    var window: ClosedRange<Timestamp>?
    var intel: ThreatIntelligence = .empty
    var publicSuffixes: PublicSuffixList?
    var settings = DetectionSettings()
    /// Adds location and organisation to remote addresses in the findings.
    var enricher: IPEnricher?
    var maxIssues: Int
    var showProgress: Bool
    /// Partitions of the analysis, each on a core (default: one per core).
    var workers: Int?
    /// Detectors each account gets beside the built-in ones (Sigma rules).
    var addedDetectors: @Sendable () -> [any Detector] = { [] }

    struct Result {
        var findings: [Finding]
        var statistics: ReadStatistics
        var duplicates: UInt64
        var seconds: Double
        var files: Int
        var summary: String
    }

    /// One thing a scan reads: a local file, or an object in S3.
    enum Item: Sendable {
        case file(String)
        case object(bucket: String, S3Client.Object)
    }

    /// An item made ready to read, or why it cannot be.
    enum Loaded: Sendable {
        case input(LogInput)
        case unreadable(LogIssue)
    }

    func run(files: [String]) async -> Result {
        await run(items: files.map(Item.file), fetcher: nil)
    }

    /// Reads `items` in batches on every partition at once, the accounts interleaved
    /// (``ReadingOrder``); S3 objects are downloaded by `fetcher` a batch ahead, so downloading the
    /// next batch overlaps analysing this one.
    func run(items listed: [Item], fetcher: S3ObjectFetcher?) async -> Result {
        let items = ReadingOrder.interleavingAccounts(listed) { item in
            switch item {
            case .file(let path): path
            case .object(_, let object): object.key
            }
        }
        var printed = 0
        let limit = maxIssues
        var pipelineSettings = FindingPipeline.Settings()
        pipelineSettings.intel = intel
        pipelineSettings.publicSuffixes = publicSuffixes
        pipelineSettings.detection = settings
        pipelineSettings.geo = enricher
        pipelineSettings.window = window
        if let workers { pipelineSettings.workers = workers }
        pipelineSettings.addedDetectors = addedDetectors
        let pipeline = FindingPipeline(settings: pipelineSettings, store: nil, onIssue: { issue in
            if printed < limit {
                Terminal.writeError("vigil: \(issue)\n")
                printed += 1
            }
        })
        let started = Terminal.now()
        var lastProgress = started
        // In batches, so the progress line moves; each batch on every partition at once.
        let batch = max(16, pipelineSettings.workers * 8)
        var unreadableObjects = 0
        func load(_ slice: ArraySlice<Item>) async -> [Loaded] {
            var loaded: [Loaded] = []
            var objects: [(Int, String, S3Client.Object)] = []
            for item in slice {
                switch item {
                case .file(let path): loaded.append(.input(LogInput(path: path)))
                case .object(let bucket, let object):
                    objects.append((loaded.count, bucket, object))
                    loaded.append(.input(LogInput(path: "")))
                }
            }
            guard let fetcher, !objects.isEmpty else { return loaded }
            // One fetch per bucket of the batch (its accounts interleaved, a batch of several
            // locations may alternate between buckets), each object back in its slot.
            var buckets: [String] = []
            var byBucket: [String: [(slot: Int, object: S3Client.Object)]] = [:]
            for (slot, bucket, object) in objects {
                if byBucket[bucket] == nil { buckets.append(bucket) }
                byBucket[bucket, default: []].append((slot, object))
            }
            for bucket in buckets {
                let members = byBucket[bucket] ?? []
                let fetched = await fetcher.fetch(members.map(\.object), bucket: bucket)
                for (offset, result) in fetched.enumerated() {
                    let slot = members[offset].slot
                    switch result.bytes {
                    case .success(let bytes): loaded[slot] = .input(LogInput(path: result.name, bytes: bytes))
                    case .failure(let error): loaded[slot] = .unreadable(LogIssue(path: result.name, location: .wholeFile, message: "cannot read: \(error)"))
                    }
                }
            }
            return loaded
        }
        /// The end of the batch starting at `start`: at most `batch` items, and S3 objects of at most
        /// 256 MiB together (one batch is held while the next downloads).
        func batchEnd(from start: Int) -> Int {
            var end = start, bytes = 0
            while end < items.count, end - start < batch {
                if case .object(_, let object) = items[end] {
                    if end > start, bytes + object.size > 256 << 20 { break }
                    bytes += object.size
                }
                end += 1
            }
            return end
        }
        var done = 0
        var next: Task<[Loaded], Never>? = items.isEmpty ? nil : Task { await load(items[0..<batchEnd(from: 0)]) }
        while let current = next {
            let loaded = await current.value
            let count = loaded.count
            let following = done + count
            next = following < items.count ? Task { await load(items[following..<batchEnd(from: following)]) } : nil
            var inputs: [LogInput] = []
            for result in loaded {
                switch result {
                case .input(let input): inputs.append(input)
                case .unreadable(let issue):
                    unreadableObjects += 1
                    if printed < limit {
                        Terminal.writeError("vigil: \(issue)\n")
                        printed += 1
                    }
                }
            }
            pipeline.read(inputs)
            done = following
            if showProgress {
                let now = Terminal.now()
                if now - lastProgress > 0.25 {
                    lastProgress = now
                    let records = pipeline.statistics.totalRecords
                    let rate = Double(records) / max(now - started, 1e-9)
                    Terminal.writeError("\r\u{1B}[K[\(done)/\(items.count) files] \(records) records, \(Int(rate)) records/s")
                }
            }
        }
        if showProgress { Terminal.writeError("\r\u{1B}[K") }
        let seconds = Terminal.now() - started
        let findings = (try? pipeline.commit(analysed: [], usage: [])) ?? []
        var statistics = pipeline.statistics
        statistics.unreadableFiles += unreadableObjects
        let summary = ScanSummary(statistics: statistics, findings: findings, duplicates: pipeline.duplicateEvents,
                                  trusted: pipeline.trustedRecords, overflow: pipeline.overflowObservations, intel: intel,
                                  seconds: seconds, files: items.count, printedIssues: printed).text
        return Result(findings: findings, statistics: statistics, duplicates: pipeline.duplicateEvents,
                      seconds: seconds, files: items.count, summary: summary)
    }
}

/// The stderr summary of a scan.
struct ScanSummary {
    var statistics: ReadStatistics
    var findings: [Finding]
    var duplicates: UInt64
    var trusted: UInt64 = 0
    var overflow: UInt64 = 0
    var intel: ThreatIntelligence = .empty
    var seconds: Double
    var files: Int
    var printedIssues: Int

    var text: String {
        var out = "\nvigil scan: \(files) files in \(format(seconds)) s\n"
        out += "  source            files     records    bad   outside-window        bytes\n"
        for source in DataSource.allCases {
            let v = statistics[source]
            out += "  " + pad(source.rawValue, 16) + lpad("\(v.files)", 6) + lpad("\(v.records)", 12) + lpad("\(v.badRecords)", 7)
                + lpad("\(v.outsideWindow)", 17) + lpad(bytes(v.bytes), 13) + "\n"
        }
        let skipped = statistics.skippedFiles.values.reduce(0, +)
        if skipped > 0 {
            let reasons = statistics.skippedFiles.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
            out += "  skipped files: \(skipped) (\(reasons))\n"
        }
        if statistics.unreadableFiles > 0 { out += "  unreadable files: \(statistics.unreadableFiles)\n" }
        if statistics.damagedFiles > 0 { out += "  damaged gzip files: \(statistics.damagedFiles) (records before the damage were read)\n" }
        if duplicates > 0 { out += "  duplicate CloudTrail events dropped: \(duplicates)\n" }
        if !intel.lists.isEmpty || intel.trustedCount > 0 {
            out += "  threat lists: \(intel.lists.count) (\(intel.lists.map(\.indicatorCount).reduce(0, +)) indicators), trusted networks: \(intel.trustedCount)"
            out += intel.issues.isEmpty ? "\n" : ", unreadable list lines: \(intel.issues.count)\n"
        }
        if overflow > 0 { out += "  findings table full: \(overflow) observations of new findings dropped\n" }
        if trusted > 0 { out += "  records from or to trusted addresses (not analysed): \(trusted)\n" }
        if statistics.issueCount > 0 {
            out += "  problems: \(statistics.issueCount)"
            out += statistics.issueCount > UInt64(printedIssues) ? " (\(printedIssues) printed above; --max-issues to see more)\n" : " (printed above)\n"
        }
        let counts = Dictionary(grouping: findings, by: \.severityLevel).mapValues(\.count)
        out += "  findings: \(findings.count)"
        if !findings.isEmpty {
            out += " (" + SeverityLevel.allCases.reversed().compactMap { level in
                counts[level].map { "\($0) \(level.rawValue)" }
            }.joined(separator: ", ") + ")"
        }
        out += "\n"
        let records = statistics.totalRecords
        if seconds > 0 && records > 0 {
            out += "  throughput: \(Int(Double(records) / seconds)) records/s, \(format(Double(statistics.totalBytes) / seconds / 1e6)) MB/s\n"
        }
        return out
    }

    func format(_ v: Double) -> String { String(format: "%.2f", v) }
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    func bytes(_ n: UInt64) -> String {
        if n >= 1 << 30 { return format(Double(n) / Double(1 << 30)) + " GiB" }
        if n >= 1 << 20 { return format(Double(n) / Double(1 << 20)) + " MiB" }
        if n >= 1 << 10 { return format(Double(n) / Double(1 << 10)) + " KiB" }
        return "\(n) B"
    }
}
