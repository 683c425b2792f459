/// Remembers which keys were reported recently, so a detector that sees the same activity in
/// record after record builds one observation per `interval` seconds of event time instead of one
/// per record — building an observation (strings, the finding's resource and action) costs far more
/// than the test that found it. The finding's `count` then counts intervals with activity.
///
/// A fixed, direct-mapped table of `slots` entries, allocated on first use: a key whose slot another
/// key took is simply reported again, so memory never grows and the cost is one probe.
public struct ReportThrottle {
    public let interval: Int64
    private var keys: [UInt64] = []
    private var times: [Int64] = []
    private let size: Int
    private let mask: Int

    public init(interval: Int64, slots: Int = 1 << 14) {
        var size = 1
        while size < slots { size *= 2 }
        self.interval = interval
        self.size = size
        mask = size - 1
    }

    /// Whether `key` should be reported at `time` (seconds); records it if so.
    public mutating func shouldReport(_ key: UInt64, at time: Int64) -> Bool {
        if keys.isEmpty {
            keys = [UInt64](repeating: 0, count: size)
            times = [Int64](repeating: 0, count: size)
        }
        let k = key == 0 ? 1 : key
        let i = Int(truncatingIfNeeded: k ^ (k >> 31)) & mask
        if keys[i] == k && time >= times[i] && time - times[i] < interval { return false }
        keys[i] = k
        times[i] = time
        return true
    }
}
