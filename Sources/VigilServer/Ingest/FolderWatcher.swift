import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import VigilLogs
import VigilModel
import VigilPipeline
import VigilStore

/// Analyses log files as they arrive in the watched folders, through the findings pipeline, and
/// commits the findings with each file's checkpoint (how far it was read) in one transaction.
///
/// A gzip file or a CloudTrail `{"Records":[…]}` document is read whole whenever it changed. A
/// line-oriented file (flow logs, Resolver logs, CloudTrail JSON lines) is read in complete lines
/// from where the last read stopped (with the flow-log header line in front), so a line still being
/// written is read once it is finished; a last line without a newline is read once the file has
/// stayed unchanged for ``UnfinishedLines/patience`` seconds. Every piece is read as the kind of
/// log its file's beginning shows. A file that shrank is read again from its start.
final class FolderWatcher: ServiceLifecycle.Service, @unchecked Sendable {
    let folders: [String]
    let pollInterval: Double
    let pipeline: FindingPipeline
    let store: any AnalysisStore
    let workers: NIOThreadPool
    let clock: WallClock
    let logger: Logger
    /// Files whose last line had no newline at the last poll.
    let unfinished = UnfinishedLines()

    init(folders: [String], pollInterval: Double, pipeline: FindingPipeline, store: any AnalysisStore, workers: NIOThreadPool,
         clock: WallClock, logger: Logger) {
        self.folders = folders
        self.pollInterval = pollInterval
        self.pipeline = pipeline
        self.store = store
        self.workers = workers
        self.clock = clock
        self.logger = logger
    }

    /// Looks at the folders as soon as inotify says something changed under them (after
    /// ``settle`` more of quiet, so a burst of writes is one round), and every `pollInterval`
    /// seconds whatever it says, until a graceful shutdown, which lets the round in progress
    /// finish (its commit included).
    func run() async throws {
        let events = FolderEvents(folders: folders, logger: logger)
        events?.start()
        var failed = false
        repeat {
            do {
                // On a worker thread: reading and analysing files never occupies the async tasks' threads.
                _ = try await workers.runIfActive { try self.analyseNewFiles() }
                failed = false
            } catch {
                logger.error("watching \(folders): \(error)")
                failed = true
            }
        } while await pause(events?.signal, retrying: failed)
    }

    /// After a round that failed (the store away, a commit refused), the next comes this soon,
    /// whatever the poll interval: the changes that woke the failed round are not signalled again.
    static let retryDelay: Double = 1

    /// Quiet after a change before the round starts.
    static let settle: Duration = .milliseconds(30)

    /// Waits for a change or the poll interval (after a failed round, at most ``retryDelay``);
    /// `false` when the watcher should stop.
    private func pause(_ signal: ChangeSignal?, retrying: Bool) async -> Bool {
        let interval = retrying ? min(pollInterval, Self.retryDelay) : pollInterval
        guard let signal else { return await GracefulPause.wait(.milliseconds(Int(interval * 1000))) }
        guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return false }
        await withGracefulShutdownHandler {
            await signal.wait(upTo: .milliseconds(Int(interval * 1000)))
            try? await Task.sleep(for: Self.settle)
        } onGracefulShutdown: {
            signal.signal()
        }
        return !Task.isShuttingDownGracefully && !Task.isCancelled
    }

    /// Analyses every watched file not analysed at its current size and modification time. Returns
    /// the files read.
    ///
    /// The whole round holds the pipeline: on a cluster node, which files are this node's to read
    /// (``FindingPipeline/holds(inputNamed:)``) and from where (their checkpoints) cannot change
    /// between the look and the read.
    @discardableResult
    func analyseNewFiles() throws -> [String] {
        let files = (try? LogFileFinder.files(under: folders)) ?? []
        return try pipeline.exclusively { try analyse(files) }
    }

    private func analyse(_ files: [String]) throws -> [String] {
        var pending: [(file: AnalysedFile, from: Int64?, kind: LogKind?)] = []
        for path in files where pipeline.holds(inputNamed: path) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = (attributes[.size] as? NSNumber)?.int64Value,
                  let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 else { continue }
            let previous = try store.checkpoint(path: path)
            if let previous, previous.size == size, previous.modified == modified { continue }
            let file = AnalysedFile(path: path, size: size, modified: modified)
            let gzip = WatchedFile.isGzip(path)
            let kind = gzip ? nil : WatchedFile.kind(of: path)
            if gzip || kind == .cloudTrailDocument {
                pending.append((file, nil, nil))
            } else {
                pending.append((file, previous.map { size >= $0.size ? $0.size : 0 } ?? 0, kind))
            }
        }
        guard !pending.isEmpty else { return [] }
        let now = clock.now()
        // What to read of each file: a gzip file or a document whole, a line file's complete new lines.
        var inputs: [LogInput] = []
        var analysed: [AnalysedFile] = []
        for (file, start, kind) in pending {
            guard let from = start else {
                inputs.append(LogInput(path: file.path))
                analysed.append(file)
                continue
            }
            let finished = unfinished.finished(file, now: now)
            guard let (bytes, consumed) = WatchedFile.lines(of: file.path, from: from, to: file.size, includingUnfinished: finished) else {
                unfinished.remember(file, now: now)
                continue
            }
            // A piece of a file is read as what the file's beginning says it is, whatever its first line holds.
            inputs.append(LogInput(path: file.path, bytes: bytes, kind: from > 0 ? kind : nil))
            // Up to the last complete line; the rest is read when the line is finished.
            analysed.append(AnalysedFile(path: file.path, size: from + consumed, modified: from + consumed == file.size ? file.modified : 0))
            if from + consumed < file.size { unfinished.remember(file, now: now) }
        }
        let added = pipeline.read(inputs)
        try pipeline.commit(analysed: analysed, usage: IngestUsage.records(inputs: inputs, added: added))
        return analysed.map(\.path)
    }
}
