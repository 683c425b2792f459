import Foundation
import VigilModel
import VigilStore

/// Activates lists off the request path: a set made `ACTIVATING` by the API is read (a file within
/// the allowed folders, or a URL fetched within its size and time limits) and parsed on a worker
/// thread, then made `ACTIVE`, or `ERROR` with the reason. A slow or endless origin therefore
/// holds one worker for at most the policy's timeout and never a request, the ingest lock or the
/// event loop; one account's activations run one at a time, so a tenant cannot occupy every
/// worker while others wait.
public final class ListActivation: @unchecked Sendable {
    private let store: any FindingStore
    private let loader: IntelSetLoader
    /// Called after a set's status changed (its list takes effect).
    private let onChange: @Sendable () -> Void
    private let condition = NSCondition()
    /// Waiting set IDs with their account, oldest first.
    private var queue: [(id: String, account: String)] = []
    /// Accounts with an activation in progress.
    private var busy: Set<String> = []
    /// Sets saved with their outcome whose lists are not yet in force (``status(of:)``).
    private var applying: Set<String> = []
    private var started = false
    private let workers: Int

    public init(store: any FindingStore, loader: IntelSetLoader, workers: Int = 4, onChange: @escaping @Sendable () -> Void) {
        self.store = store
        self.loader = loader
        self.workers = workers
        self.onChange = onChange
    }

    /// Queues `set` when it is `ACTIVATING`.
    public func enqueue(_ set: IntelSetRecord) {
        guard set.status == .activating, let detector = try? store.detector(id: set.detectorId) else { return }
        condition.lock()
        if !queue.contains(where: { $0.id == set.id }) { queue.append((set.id, detector.accountId)) }
        condition.signal()
        condition.unlock()
    }

    /// Starts the workers (once) and queues every set left `ACTIVATING` (by a restart mid-activation).
    public func start() {
        condition.lock()
        let first = !started
        started = true
        condition.unlock()
        guard first else { return }
        for _ in 0..<workers {
            let thread = Thread { [self] in work() }
            thread.name = "vigil-list-activation"
            thread.start()
        }
        for set in (try? store.intelSets(detectorId: nil)) ?? [] { enqueue(set) }
    }

    /// Waits (up to `timeout` seconds) until nothing is queued or in progress; for tests.
    public func drain(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            condition.lock()
            let idle = queue.isEmpty && busy.isEmpty
            condition.unlock()
            if idle { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    private func work() {
        while true {
            condition.lock()
            var next: (id: String, account: String)?
            while next == nil {
                if let index = queue.firstIndex(where: { !busy.contains($0.account) }) {
                    next = queue.remove(at: index)
                } else {
                    condition.wait()
                }
            }
            busy.insert(next!.account)
            condition.unlock()
            activate(next!.id, account: next!.account)
            condition.lock()
            busy.remove(next!.account)
            condition.broadcast()
            condition.unlock()
        }
    }

    private func activate(_ id: String, account: String) {
        guard let set = try? store.intelSet(id: id), set.status == .activating else { return }
        let problem = loader.check(set, account: account)
        // Saved only if nobody changed the set meanwhile (a newer activation is queued then).
        guard var current = try? store.intelSet(id: id), current.status == .activating, current.location == set.location,
              current.updatedAt == set.updatedAt else { return }
        current.status = problem == nil ? .active : .error
        current.errorDetails = problem
        condition.lock()
        applying.insert(id)
        condition.unlock()
        try? store.saveIntelSet(current)
        onChange()
        condition.lock()
        applying.remove(id)
        condition.unlock()
    }

    /// The status to show for `set`: still `ACTIVATING` between its outcome being saved and its
    /// list being in force, so a caller who waits for `ACTIVE` never sends records the list misses.
    public func status(of set: IntelSetRecord) -> ListStatus {
        condition.lock()
        defer { condition.unlock() }
        return applying.contains(set.id) ? .activating : set.status
    }
}
