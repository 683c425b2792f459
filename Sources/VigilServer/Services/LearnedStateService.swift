import Logging
import ServiceLifecycle
import VigilPipeline

/// Saves what the detectors learned every `interval` seconds even when no new records arrive, and
/// a last time on a graceful shutdown — so a restart loses at most one interval of learning.
struct LearnedStateService: ServiceLifecycle.Service {
    let pipeline: FindingPipeline
    let interval: Double
    let logger: Logger

    func run() async throws {
        while await GracefulPause.wait(.milliseconds(Int(max(interval, 1) * 1000))) {
            save(force: false)
        }
        save(force: true)
    }

    func save(force: Bool) {
        do { try pipeline.exclusively { try pipeline.saveLearnedState(force: force) } } catch {
            logger.error("cannot save the learned state: \(error)")
        }
    }
}
