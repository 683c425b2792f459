import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import VigilAWS
import VigilIngest
import VigilLogs
import VigilModel
import VigilPipeline
import VigilStore

/// Analyses the log objects that appear under S3 locations (`vigil serve --watch s3://…`), through
/// the findings pipeline, committing each object's checkpoint — its key and entity tag — with its
/// findings in one transaction: an object is read once, a new version of it (another ETag) again,
/// and a restart resumes where the last commit left off.
///
/// The first round lists everything under each location (from `since`'s day with a start date);
/// later rounds walk the layout's folders and list each date root only from ``lookback`` before
/// now (logs of the last hours keep arriving after midnight), so a bucket holding years of logs is
/// not listed from scratch every `pollInterval` seconds. Objects are downloaded a bounded number at
/// a time; one that cannot be read is logged and tried again next round.
final class S3Watcher: ServiceLifecycle.Service, @unchecked Sendable {
    let locations: [S3Location]
    let pollInterval: Double
    let since: Timestamp?
    let pipeline: FindingPipeline
    let store: any AnalysisStore
    let listing: S3LogListing
    let fetcher: S3ObjectFetcher
    let workers: NIOThreadPool
    let clock: WallClock
    let logger: Logger
    /// How far back later rounds list the dated folders.
    static let lookback: Double = 36 * 3600
    /// Objects committed or found committed (`s3://bucket/key` → ETag): not asked of the store
    /// again. Bounded: past ``committedLimit`` it starts empty (the store still knows them all).
    private var committed: [String: String] = [:]
    static let committedLimit = 1_000_000
    private var listedOnce = false

    init(locations: [S3Location], pollInterval: Double, since: Timestamp?, client: S3Client, downloads: Int, pipeline: FindingPipeline,
         store: any AnalysisStore, workers: NIOThreadPool, clock: WallClock, logger: Logger) {
        self.locations = locations
        self.pollInterval = pollInterval
        self.since = since
        self.pipeline = pipeline
        self.store = store
        self.listing = S3LogListing(client: client)
        self.fetcher = S3ObjectFetcher(client: client, parallel: downloads)
        self.workers = workers
        self.clock = clock
        self.logger = logger
    }

    func run() async throws {
        repeat {
            for location in locations {
                do {
                    try await analyseNewObjects(in: location)
                } catch {
                    logger.error("watching \(location): \(error)")
                }
            }
            listedOnce = true
        } while await GracefulPause.wait(.milliseconds(Int(pollInterval * 1000)))
    }

    /// One round over one location: list, skip what was analysed, download the rest in batches and
    /// analyse each batch (on a worker thread, holding the pipeline) with its checkpoints.
    func analyseNewObjects(in location: S3Location) async throws {
        var start = since
        if listedOnce {
            let recent = Timestamp(millisecondsSinceEpoch: Int64((clock.now().timeIntervalSince1970 - Self.lookback) * 1000))
            start = max(start ?? recent, recent)
        }
        let objects = try await listing.objects(under: location, since: start)
        var pending: [S3Client.Object] = []
        // On a cluster node, the objects of the shards it holds (the others' holders list them too).
        let held = pipeline.exclusively { objects.filter { pipeline.holds(inputNamed: location.name(of: $0.key)) } }
        for object in held where object.size > 0 {
            let name = location.name(of: object.key)
            if committed[name] == object.eTag { continue }
            if let checkpoint = try store.checkpoint(path: name), checkpoint.tag == object.eTag {
                committed[name] = object.eTag
                continue
            }
            pending.append(object)
        }
        let batch = 32
        var index = 0
        while index < pending.count, !Task.isShuttingDownGracefully {
            let slice = Array(pending[index..<min(pending.count, index + batch)])
            index += slice.count
            let fetched = await fetcher.fetch(slice, bucket: location.bucket)
            var inputs: [LogInput] = []
            var analysed: [AnalysedFile] = []
            for item in fetched {
                switch item.bytes {
                case .success(let bytes):
                    inputs.append(LogInput(path: item.name, bytes: bytes))
                    analysed.append(AnalysedFile(path: item.name, size: Int64(item.object.size),
                                                 modified: item.object.lastModified?.timeIntervalSince1970 ?? 0, tag: item.object.eTag))
                case .failure(let error):
                    logger.warning("\(item.name): cannot read: \(error); trying again next round")
                }
            }
            guard !inputs.isEmpty else { continue }
            let (read, checkpoints) = (inputs, analysed)
            // On a worker thread: analysing never occupies the async tasks' threads.
            try await workers.runIfActive {
                try self.pipeline.exclusively {
                    // (A shard given up while the batch downloaded is its new holder's to read.)
                    let read = read.filter { self.pipeline.holds(inputNamed: $0.path) }
                    let checkpoints = checkpoints.filter { self.pipeline.holds(inputNamed: $0.path) }
                    let added = self.pipeline.read(read)
                    try self.pipeline.commit(analysed: checkpoints, usage: IngestUsage.records(inputs: read, added: added))
                }
            }
            if committed.count > Self.committedLimit { committed.removeAll() }
            for file in analysed { committed[file.path] = file.tag }
        }
    }
}
