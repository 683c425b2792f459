import Foundation

/// An online anomaly scorer for one numeric series — the model behind
/// `Behavior:EC2/TrafficVolumeUnusual` and `vigil model score-series`.
///
/// Each point is scored from what came before it only (no look-ahead), then learned. Four views
/// of the point are judged:
///
/// 1. its **level** against the recent window (robust z: distance from the median in units of the
///    median absolute deviation);
/// 2. its **change** from the previous point against the recent changes (spikes, steps) — not
///    across a gap in the series' time (more than four of its usual steps), where there is no change
///    to judge;
/// 3. its level against what is usual **at that hour of the day** (learned per hour slot when the
///    points carry times, weekend hours apart from weekdays), so daily and weekly cycles are
///    expected and a quiet night is not an anomaly — but daytime traffic at night is. Once an hour
///    slot is learned it also *explains*: a level the hour usually has is not surprising against
///    the window either (the daily peak), and a change the hour usually sees (each hour slot learns
///    its usual change) is not surprising against the window's changes (a square wave's edge);
/// 4. whether a series that usually moves has **stopped** (twelve equal points in a row where
///    fewer than a tenth of the changes are zero: a stuck sensor, a dead feed).
///
/// No deviation is judged finer than the series' resolution (its smallest step seen), so a
/// quantised metric that sits still and then moves by one step is not infinitely surprising.
/// Each view's robust z becomes a surprise log(1 + z), and the point's surprise is the largest.
/// A raw surprise is a distance; what makes it an anomaly is that it is rarer than the series'
/// own noise. So, as in Numenta's anomaly likelihood, the raw surprises are compared with their
/// own recent distribution: both the current one and the mean of the last ten (for sustained
/// shifts), giving a tail probability p whose rarity r = -log10 p is reported as r / (r + 5)
/// (0.5: one in 100,000; never quite 1, so rarer points always score higher).
/// Finally, a score that does not exceed the highest of the last ``Settings/restPeriod`` scores is
/// halved, so an anomaly is reported at its onset rather than at every point of it.
///
/// Memory is fixed by ``Settings/window`` (two rings of `Float`s) and 48 hourly slots.
public struct SeriesAnomalyModel: Codable, Sendable {
    public struct Settings: Codable, Sendable, Equatable {
        /// Points remembered for the level, change and surprise distributions.
        public var window: Int = 1000
        /// Points after a score during which lower scores are damped.
        public var restPeriod: Int = 100
        /// Points scored 0 while the model first fills.
        public var warmUp: Int = 20
        public init(window: Int = 1000, restPeriod: Int = 100, warmUp: Int = 20) {
            self.window = window
            self.restPeriod = restPeriod
            self.warmUp = warmUp
        }
    }

    public let settings: Settings
    private var values: [Float] = []
    private var surprises: [Float] = []
    private var scores: [Float] = []
    /// The smallest step between two points seen, the last point's time and the usual time step
    /// (`nil` in models saved before them, and until known).
    private var resolution: Float?
    private var lastTime: Int64?
    private var typicalStep: Float?
    /// Each hour slot's usual change from the point before (mean and mean absolute deviation).
    private var hourChangeMean: [Float]?
    private var hourChangeDeviation: [Float]?
    /// Next write position of each ring, and points seen.
    private var head = 0
    private var scoreHead = 0
    public private(set) var count = 0
    private var hourMean = [Float](repeating: 0, count: 48)
    private var hourDeviation = [Float](repeating: 0, count: 48)
    private var hourVisits = [UInt32](repeating: 0, count: 48)

    /// The seasonal slots of a time: its hour of the day, and that hour on a weekday or a weekend day.
    static func slots(_ time: Int64) -> (Int, Int) {
        let hour = Int((time % 86_400 + 86_400) % 86_400 / 3600)
        let weekday = Int(((time / 86_400) + 4) % 7)  // 0 Sunday
        return (hour, weekday == 0 || weekday == 6 ? 24 + hour : -1)
    }

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// The last point learned.
    public var last: Double? {
        guard count > 0 else { return nil }
        let n = values.count
        return Double(values[(head - 1 + n) % n])
    }

    /// The median of the remembered points.
    public var median: Double? {
        guard !values.isEmpty else { return nil }
        return Double(Self.median(values))
    }

    /// The largest remembered point.
    public var maximum: Double? { values.max().map(Double.init) }

    /// Scores `value` (at `time`, seconds since the epoch, when known) in [0, 1], then learns it.
    public mutating func score(_ value: Double, time: Int64? = nil) -> Double {
        let x = Float(value)
        let gap = isGap(time)
        defer { learn(x, time: time) }
        guard count >= max(settings.warmUp, 3) else { return 0 }
        // The series' resolution (its smallest step): no deviation is judged finer than that.
        let floor = resolution ?? 0

        // 1. Level against the window.
        let levelMedian = Self.median(values)
        let levelScale = max(Self.scale(values, around: levelMedian), floor)
        var raw = Self.surprise(abs(x - levelMedian) / levelScale)
        // 2. Change against the window's changes.
        let previous = values[(head - 1 + values.count) % values.count]
        var changes = [Float]()
        changes.reserveCapacity(values.count)
        for i in 1..<values.count {
            let a = values[(head + i - 1) % values.count], b = values[(head + i) % values.count]
            changes.append(b - a)
        }
        let changeMedian = Self.median(changes)
        let changeScale = max(Self.scale(changes, around: changeMedian), floor)
        var changeSurprise: Float = gap ? 0 : Self.surprise(abs(x - previous - changeMedian) / changeScale)
        // 3. Level against the hour of the day; and a change that is usual at this hour (the daily
        //    rise and fall of a seasonal series) is no surprise.
        if let time {
            let (hour, weekend) = Self.slots(time)
            // Weekend hours have their own slots once learned; weekdays keep the hour's slot.
            let slot = weekend >= 24 && hourVisits[weekend] >= 3 ? weekend : hour
            if hourVisits[slot] >= 3 {
                let deviation = max(hourDeviation[slot], levelScale * 0.5)
                // A level the hour usually has is not surprising for the window either (the daily peak).
                let seasonal = Self.surprise(abs(x - hourMean[slot]) / deviation)
                raw = max(min(raw, seasonal), seasonal * 0.9)
                if let means = hourChangeMean, let deviations = hourChangeDeviation, !gap {
                    let usual = Self.surprise(abs(x - previous - means[slot]) / max(deviations[slot], changeScale * 0.5))
                    changeSurprise = min(changeSurprise, usual)
                }
            }
        }
        raw = max(raw, changeSurprise)

        // 4. A series that usually moves and has stopped (a stuck sensor, a dead feed).
        do {
            var run = 0
            while run < min(values.count, 12) && values[(head - 1 - run + values.count) % values.count] == x { run += 1 }
            if run == 11 {
                var still = 0
                for change in changes where change == 0 { still += 1 }
                if still * 10 < changes.count { raw = max(raw, Self.surprise(8)) }
            }
        }
        // How unlikely the surprise is, alone and over the last ten points, given the recent surprises.
        let n = surprises.count
        var rarity: Double = 0  // -log10 of the tail probability
        if n >= 10 {
            let (mean, deviation) = Self.meanAndDeviation(surprises)
            rarity = Self.upperTailRarity((Double(raw) - mean) / max(deviation, 0.02))
            var recent = Double(raw)
            for i in 1..<10 { recent += Double(surprises[(n + surprisesHead - i) % n]) }
            recent /= 10
            rarity = max(rarity, Self.upperTailRarity((recent - mean) / max(deviation / 3, 0.01)))
        }
        surprises.append(raw, ring: settings.window, head: &surprisesHead)
        let score = rarity / (rarity + 5)
        let recentMax = scores.max() ?? 0
        let emitted = Double(score) > Double(recentMax) ? score : score * 0.5
        scores.append(Float(score), ring: settings.restPeriod, head: &scoreHead)
        return emitted
    }

    private var surprisesHead = 0

    /// Whether `time` comes after a gap in the series (more than four of its usual steps).
    private func isGap(_ time: Int64?) -> Bool {
        guard let time, let last = lastTime, let step = typicalStep, step > 0 else { return false }
        return Float(time - last) > 4 * step
    }

    private mutating func learn(_ x: Float, time: Int64?) {
        // The change from the point before, unless a gap separates them (for the hour slots).
        let change: Float? = count > 0 && !isGap(time) ? x - values[(head - 1 + values.count) % values.count] : nil
        if count > 0 {
            let step = abs(x - values[(head - 1 + values.count) % values.count])
            if step > 0 { resolution = min(resolution ?? step, step) }
        }
        if let time {
            if let last = lastTime, time > last {
                let step = Float(time - last)
                // The usual step: a slow tracker (a twentieth of the way toward each step, at most doubling).
                typicalStep = typicalStep.map { $0 + (min(step, 2 * $0) - $0) / 20 } ?? step
            }
            lastTime = time
        }
        values.append(x, ring: settings.window, head: &head)
        count += 1
        if let time {
            let (hour, weekend) = Self.slots(time)
            // Weekend hours learn their own slots and do not blur the weekday profile.
            for slot in [weekend >= 24 ? weekend : hour] {
                let visits = hourVisits[slot]
                if let change {
                    if hourChangeMean == nil {
                        hourChangeMean = [Float](repeating: 0, count: 48)
                        hourChangeDeviation = [Float](repeating: 0, count: 48)
                    }
                    // In place: no copy of the slots per point.
                    let rate: Float = visits < 20 ? 1 / Float(visits + 1) : 0.05
                    hourChangeDeviation![slot] += rate * (abs(change - hourChangeMean![slot]) - hourChangeDeviation![slot])
                    hourChangeMean![slot] += rate * (change - hourChangeMean![slot])
                }
                if visits == 0 {
                    hourMean[slot] = x
                } else {
                    let rate: Float = visits < 20 ? 1 / Float(visits + 1) : 0.05
                    hourDeviation[slot] += rate * (abs(x - hourMean[slot]) - hourDeviation[slot])
                    hourMean[slot] += rate * (x - hourMean[slot])
                }
                hourVisits[slot] = visits &+ 1
            }
        }
    }

    /// The surprise of a robust z: log(1 + z), unbounded, so that a spike of 50 deviations stands
    /// far above noise of 5 while heavy tails do not swamp the surprise distribution.
    static func surprise(_ z: Float) -> Float {
        log1p(z.isFinite ? min(z, 1e6) : 1e6)
    }

    /// The median, by selection (linear time) on a copy.
    static func median(_ xs: [Float]) -> Float {
        var copy = xs
        let n = copy.count
        let upper = select(&copy, n / 2)
        if n % 2 == 1 { return upper }
        // After selection every element before n/2 is at most `upper`: the lower middle is their largest.
        var lower = -Float.infinity
        for i in 0..<(n / 2) where copy[i] > lower { lower = copy[i] }
        return (lower + upper) / 2
    }

    /// Hoare's selection: reorders `a` so that `a[k]` is the k-th smallest, smaller ones before it.
    static func select(_ a: inout [Float], _ k: Int) -> Float {
        a.withUnsafeMutableBufferPointer { b in
            var lo = 0, hi = b.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                // Median of three as the pivot, so sorted and constant stretches stay linear.
                let x = b[lo], y = b[mid], z = b[hi]
                let pivot = max(min(x, y), min(max(x, y), z))
                var i = lo, j = hi
                while i <= j {
                    while b[i] < pivot { i += 1 }
                    while b[j] > pivot { j -= 1 }
                    if i <= j {
                        b.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { break }
            }
            return b[k]
        }
    }

    /// 1.4826 × the median absolute deviation; when that is zero (a mostly flat series), the mean
    /// absolute deviation; never below a millionth of the level, so a flat series still scores
    /// its first change as large but finite.
    static func scale(_ xs: [Float], around center: Float) -> Float {
        let deviations = xs.map { abs($0 - center) }
        let mad = median(deviations) * 1.4826
        if mad > 0 { return mad }
        let mean = deviations.reduce(0, +) / Float(max(deviations.count, 1))
        return max(mean * 1.25, abs(center) * 1e-6, 1e-9)
    }

    static func meanAndDeviation(_ xs: [Float]) -> (Double, Double) {
        var sum = 0.0, squares = 0.0
        for x in xs {
            sum += Double(x)
            squares += Double(x) * Double(x)
        }
        let n = Double(xs.count)
        let mean = sum / n
        return (mean, sqrt(max(squares / n - mean * mean, 0)))
    }

    /// -log10 P(Z ≥ z) for a standard normal Z: 1.3 at z = 2, 3.5 at z = 3.7, 23 at z = 10; computed
    /// from `erfc` down to 1e-300, so very rare points stay apart instead of all scoring 1.
    static func upperTailRarity(_ z: Double) -> Double {
        guard z > 0 else { return 0.3 }  // -log10(0.5)
        return -log10(max(0.5 * erfc(z / 2.squareRoot()), 1e-300))
    }
}

extension Array where Element == Float {
    /// Appends until `limit` elements, then overwrites the oldest (a ring with its head at `head`).
    fileprivate mutating func append(_ x: Float, ring limit: Int, head: inout Int) {
        if count < limit {
            append(x)
            head = count % limit
        } else {
            self[head] = x
            head = (head + 1) % limit
        }
    }
}
