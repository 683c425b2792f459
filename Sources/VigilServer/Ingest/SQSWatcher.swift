import Foundation
import Logging
import Metrics
import NIOPosix
import ServiceLifecycle
import VigilAWS
import VigilIngest
import VigilLogs
import VigilModel
import VigilPipeline
import VigilStore

/// Analyses the log objects S3 event notifications announce on SQS queues (`vigil serve
/// --sqs-queue URL`): notifications sent directly, wrapped by SNS, or as EventBridge events.
///
/// At least once, counted once: a message is deleted only after its objects' findings and
/// checkpoints (key and ETag) are committed; a message delivered again (the process died between
/// commit and delete, or its invisibility ran out) finds its objects checkpointed and is deleted
/// without reading them twice, and the pipeline's event-ID window refuses repeated CloudTrail events
/// besides. While a batch is analysed its messages' invisibility is extended. A message that is not
/// a notification, or whose object cannot be read, is logged with its reason and counted
/// (`vigil_sqs_unprocessable_messages_total`), and made invisible for ``retryDelay`` so it is tried
/// again later — never in a tight loop — until the queue's redrive policy moves it to its
/// dead-letter queue.
final class SQSWatcher: ServiceLifecycle.Service, @unchecked Sendable {
    let queues: [String]
    /// The buckets notifications may name (`--sqs-bucket`); empty: any bucket the identity can read.
    /// A notification naming another is refused: whoever can send to the queue cannot make Vigil
    /// read elsewhere.
    let buckets: Set<String>
    let visibility: Int
    let wait: Int
    let pipeline: FindingPipeline
    let store: any AnalysisStore
    let s3: S3Client
    let fetcher: S3ObjectFetcher
    let credentials: any CredentialProvider
    let region: String
    let workers: NIOThreadPool
    let logger: Logger
    /// How long an unprocessable message stays invisible before it is tried again.
    static let retryDelay = 300

    init(queues: [String], buckets: Set<String> = [], visibility: Int, wait: Int, credentials: any CredentialProvider, region: String, s3: S3Client, downloads: Int,
         pipeline: FindingPipeline, store: any AnalysisStore, workers: NIOThreadPool, logger: Logger) {
        self.queues = queues
        self.buckets = buckets
        self.visibility = visibility
        self.wait = wait
        self.credentials = credentials
        self.region = region
        self.s3 = s3
        self.fetcher = S3ObjectFetcher(client: s3, parallel: downloads)
        self.pipeline = pipeline
        self.store = store
        self.workers = workers
        self.logger = logger
    }

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for queue in queues {
                group.addTask { await self.consume(queue) }
            }
        }
    }

    /// Receives and handles batches from one queue until a graceful shutdown (which ends a long
    /// poll at once and lets the batch in hand finish, its commit and deletes included).
    private func consume(_ queue: String) async {
        let sqs = SQSClient(credentials: credentials, region: SQSClient.region(ofQueue: queue) ?? region)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let messages: [SQSClient.Message]
            do {
                messages = try await cancelWhenGracefulShutdown {
                    try await sqs.receive(queue: queue, maximum: 10, wait: self.wait, visibility: self.visibility)
                }
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                logger.error("receiving from \(queue): \(error); trying again in 5 s")
                _ = await GracefulPause.wait(.seconds(5))
                continue
            }
            guard !messages.isEmpty else { continue }
            await handle(messages, queue: queue, sqs: sqs)
        }
    }

    /// One batch: parse, read what is new, commit, then delete what was handled.
    func handle(_ messages: [SQSClient.Message], queue: String, sqs: SQSClient) async {
        var handled: [SQSClient.Message] = []
        var announced: [(message: Int, object: S3EventNotification.ObjectCreated)] = []
        var failed = Set<Int>()
        for (index, message) in messages.enumerated() {
            switch S3EventNotification.parse(message.body) {
            case .testEvent: handled.append(message)
            case .unreadable(let reason):
                failed.insert(index)
                await unprocessable(message, queue: queue, sqs: sqs, reason: reason)
            case .objects(let objects):
                if !buckets.isEmpty, let stranger = objects.first(where: { !buckets.contains($0.bucket) }) {
                    failed.insert(index)
                    await unprocessable(message, queue: queue, sqs: sqs, reason: "bucket \(stranger.bucket) is not one --sqs-bucket names")
                    continue
                }
                for object in objects { announced.append((index, object)) }
            }
        }
        // Keep the messages in hand invisible to other consumers while they are analysed (not the
        // refused ones: their retry delay stands).
        let inHand = messages.indices.filter { !failed.contains($0) }.map { messages[$0].receiptHandle }
        let heartbeat = Task {
            while !Task.isCancelled {
                try await Task.sleep(nanoseconds: UInt64(max(1, visibility / 2)) * 1_000_000_000)
                for handle in inHand { try? await sqs.changeVisibility(queue: queue, receiptHandle: handle, seconds: visibility) }
            }
        }
        defer { heartbeat.cancel() }
        var unreadable: [(message: Int, reason: String)] = []
        // Objects already analysed at this version (a message delivered again) are not read twice.
        var pending: [(message: Int, object: S3EventNotification.ObjectCreated)] = []
        for item in announced {
            let name = "s3://\(item.object.bucket)/\(item.object.key)"
            if !item.object.eTag.isEmpty, let checkpoint = try? store.checkpoint(path: name), checkpoint.tag == item.object.eTag { continue }
            pending.append(item)
        }
        var inputs: [LogInput] = []
        var analysed: [AnalysedFile] = []
        for bucket in Set(pending.map(\.object.bucket)).sorted() {
            let items = pending.filter { $0.object.bucket == bucket }
            let fetched = await fetcher.fetch(items.map { S3Client.Object(key: $0.object.key, eTag: $0.object.eTag, size: $0.object.size) },
                                              bucket: bucket)
            for (item, result) in zip(items, fetched) {
                switch result.bytes {
                case .success(let bytes):
                    inputs.append(LogInput(path: result.name, bytes: bytes))
                    analysed.append(AnalysedFile(path: result.name, size: Int64(bytes.count), modified: 0,
                                                 tag: item.object.eTag.isEmpty ? nil : item.object.eTag))
                case .failure(let error):
                    // Made invisible for the retry delay once the heartbeat has stopped.
                    if failed.insert(item.message).inserted { unreadable.append((item.message, "\(result.name) cannot be read: \(error)")) }
                }
            }
        }
        do {
            if !inputs.isEmpty {
                let (read, checkpoints) = (inputs, analysed)
                try await workers.runIfActive {
                    try self.pipeline.exclusively {
                        let added = self.pipeline.read(read)
                        try self.pipeline.commit(analysed: checkpoints, usage: IngestUsage.records(inputs: read, added: added))
                    }
                }
            }
        } catch {
            logger.error("\(queue): the batch's findings could not be committed: \(error); its messages will come back")
            return
        }
        for (index, message) in messages.enumerated() where !failed.contains(index) && !handled.contains(where: { $0.messageId == message.messageId }) {
            handled.append(message)
        }
        heartbeat.cancel()
        for (index, reason) in unreadable { await unprocessable(messages[index], queue: queue, sqs: sqs, reason: reason) }
        for message in handled {
            do { try await sqs.delete(queue: queue, receiptHandle: message.receiptHandle) } catch {
                logger.warning("\(queue): message \(message.messageId) analysed but not deleted (\(error)); it will come back and be skipped")
            }
        }
    }

    private func unprocessable(_ message: SQSClient.Message, queue: String, sqs: SQSClient, reason: String) async {
        logger.warning("\(queue): message \(message.messageId) (received \(message.receiveCount) times) not processed: \(reason); left for the queue's redrive policy")
        Counter(label: "vigil_sqs_unprocessable_messages_total", dimensions: [("queue", queue)]).increment()
        try? await sqs.changeVisibility(queue: queue, receiptHandle: message.receiptHandle, seconds: Self.retryDelay)
    }
}
