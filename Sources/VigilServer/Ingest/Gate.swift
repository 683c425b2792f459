/// Runs one job at a time, in arrival order; callers wait (back-pressure for ingestion).
actor Gate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ job: @Sendable () async -> T) async -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        let result = await job()
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        return result
    }
}
