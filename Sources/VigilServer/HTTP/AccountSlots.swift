/// At most `limit` API requests of one account run at once; the next ones wait their turn, in
/// order, up to `maximumWaiting` of them — beyond that a request is refused (429), so one tenant's
/// burst of slow queries occupies at most its share of the workers while a console page's few
/// parallel requests simply queue.
actor AccountSlots {
    let limit: Int
    let maximumWaiting: Int
    private var running: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    init(limit: Int, maximumWaiting: Int = 32) {
        self.limit = limit
        self.maximumWaiting = maximumWaiting
    }

    /// Takes a slot for `account`, waiting for one if needed; `false` when too many already wait.
    func acquire(_ account: String) async -> Bool {
        if running[account, default: 0] < limit {
            running[account, default: 0] += 1
            return true
        }
        guard waiting[account, default: []].count < maximumWaiting else { return false }
        // The slot is handed over by `release`, which keeps the count.
        await withCheckedContinuation { waiting[account, default: []].append($0) }
        return true
    }

    /// Gives a slot back: to the account's next waiting request, or free.
    func release(_ account: String) {
        if var queue = waiting[account], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[account] = queue.isEmpty ? nil : queue
            next.resume()
            return
        }
        let count = running[account, default: 1] - 1
        running[account] = count > 0 ? count : nil
    }
}
