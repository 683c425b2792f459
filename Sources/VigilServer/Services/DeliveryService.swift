import Logging
import ServiceLifecycle
import VigilPublish

/// Works the outbox every half second through the ``Publisher``. Stops between rounds on a
/// graceful shutdown; what is still queued is delivered after the next start.
struct DeliveryService: ServiceLifecycle.Service {
    let publisher: Publisher
    let logger: Logger

    func run() async throws {
        repeat {
            do { try await publisher.deliverDue() } catch { logger.error("delivery: \(error)") }
        } while await GracefulPause.wait(.milliseconds(500))
    }
}
