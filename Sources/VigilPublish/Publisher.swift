import Foundation
import Logging
import Metrics
import VigilModel
import VigilStore

/// Publishes findings: says how each committed finding is published (``publication()``: the
/// configured webhooks and files, and the publishing destinations of its detector), queues updated
/// findings when their detector's publishing interval has passed, and works the durable outbox —
/// every due item attempted, failures waiting their back-off, across restarts.
///
/// Reports `vigil_outbox_depth` (a gauge, after each round) and `vigil_delivery_failures_total`
/// (label `target`: `webhook`, `file`, `export`, `s3export`, `eventbridge`, `sns`, `securityhub`).
public final class Publisher: Sendable {
    /// What the publisher needs of a store.
    public typealias Store = OutboxStore & DestinationStore & DetectorStore

    public let delivery: EventDelivery
    let store: any Store
    let exports: ExportFolders
    let clock: WallClock
    let logger: Logger

    public init(delivery: EventDelivery, exports: ExportFolders, store: any Store, clock: WallClock = .system,
                logger: Logger = Logger(label: "vigil.publish")) {
        self.delivery = delivery
        self.exports = exports
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// How findings committed now are published; `nil` when there is nowhere to publish.
    public func publication() -> Publication? {
        let configured = delivery.targets
        var byDetector: [String: [String]] = [:]
        let detectors = Dictionary(((try? store.detectorsByAccountRegion()) ?? [:]).values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for d in (try? store.destinations(detectorId: nil)) ?? [] where d.status == .publishing {
            guard let owner = detectors[d.detectorId]?.accountId else { continue }
            if let place = exports.s3Place(for: d.destinationArn, account: owner) {
                byDetector[d.detectorId, default: []].append("s3export:\(place)|\(d.kmsKeyArn ?? "")")
            } else if let folder = exports.folder(for: d.destinationArn, account: owner) {
                byDetector[d.detectorId, default: []].append("export:\(folder)")
            }
        }
        guard !configured.isEmpty || !byDetector.isEmpty else { return nil }
        let now = clock.now()
        let exports = byDetector
        return Publication(targets: { finding in
            configured + (exports[StableIdentifier.detector(accountId: finding.accountId, region: finding.region)] ?? [])
        }, now: now) { EventDelivery.envelope($0, now: now) }
    }

    /// One round: queues due updates, then attempts up to `limit` due outbox items. Returns how
    /// many were delivered.
    @discardableResult
    public func deliverDue(limit: Int = 200) async throws -> Int {
        if let publication = publication() {
            let detectors = try store.detectorsByAccountRegion()
            try store.enqueueDueUpdates(publication) { account, region in
                switch detectors["\(account)/\(region)"]?.findingPublishingFrequency {
                case "FIFTEEN_MINUTES": 900
                case "ONE_HOUR": 3600
                default: 21_600
                }
            }
        }
        var delivered = 0
        for item in try store.dueDeliveries(now: clock.now(), limit: limit) {
            if await delivery.deliver(item, now: clock.now()) {
                try store.delivered(item.id)
                delivered += 1
            } else {
                Counter(label: "vigil_delivery_failures_total", dimensions: [("target", item.targetKind)]).increment()
                let wait = delivery.backoff(attempts: item.attempts)
                logger.notice("delivery to \(item.target) failed; next attempt in \(Int(wait)) s", metadata: ["attempts": "\(item.attempts + 1)"])
                try store.deliveryFailed(item.id, nextAttempt: clock.now().addingTimeInterval(wait))
            }
        }
        Gauge(label: "vigil_outbox_depth").record(try store.outboxCount())
        return delivered
    }
}
