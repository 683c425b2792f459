import Foundation
import Logging
import ServiceLifecycle
import VigilModel
import VigilStore

/// Deletes findings not raised or updated within the retention period (wall-clock), at start and
/// then hourly.
struct RetentionService: ServiceLifecycle.Service {
    let store: any RetentionStore
    let days: Int
    let clock: WallClock
    let logger: Logger

    func run() async throws {
        repeat {
            do {
                let deleted = try store.deleteFindings(storedBefore: clock.now().addingTimeInterval(-Double(days) * 86_400))
                if deleted > 0 { logger.info("retention: deleted \(deleted) findings older than \(days) days") }
            } catch {
                logger.error("retention: \(error)")
            }
        } while await GracefulPause.wait(.seconds(3600))
    }
}
