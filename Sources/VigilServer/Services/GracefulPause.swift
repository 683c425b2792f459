import ServiceLifecycle

/// Waits between rounds of a service's loop, waking early for a graceful shutdown.
enum GracefulPause {
    /// Sleeps for `duration`; `false` when the service should stop instead (the group is shutting
    /// down gracefully, or the task was cancelled).
    static func wait(_ duration: Duration) async -> Bool {
        guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return false }
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
            return !Task.isShuttingDownGracefully && !Task.isCancelled
        } catch {
            return false
        }
    }
}
