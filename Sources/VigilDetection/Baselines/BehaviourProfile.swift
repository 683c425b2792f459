import Foundation
import VigilModel

/// How often a profile has seen a value — GuardDuty's `profileSubtype`.
public enum ProfileFrequency: String, Sendable, Codable, Comparable {
    case frequent = "FREQUENT"
    case infrequent = "INFREQUENT"
    case rare = "RARE"
    case unseen = "UNSEEN"

    /// `RARE` or `UNSEEN`: the value does not belong to the profiled behaviour.
    public var isUnusual: Bool { self == .rare || self == .unseen }

    private var order: Int {
        switch self {
        case .frequent: 0
        case .infrequent: 1
        case .rare: 2
        case .unseen: 3
        }
    }

    public static func < (a: ProfileFrequency, b: ProfileFrequency) -> Bool { a.order < b.order }
}

/// Interns feature values (API names, networks, user-agent families) as small integers, so that
/// profiles hold 8-byte entries and a value is found by the hash of its bytes without making a
/// `String`. The pool only grows by distinct values, which are few in practice (API names,
/// autonomous systems, countries, agent families); past ``capacity`` new values share one
/// "other" entry, so the pool is bounded too.
public final class ValuePool {
    public private(set) var names: [String] = ["(other)"]
    private var ids = PrehashedIndex()
    public let capacity: Int

    public init(capacity: Int = 200_000) { self.capacity = capacity }

    /// The ID of the value whose hash is `hash`, made from `name()` on first sight.
    public func id(hash: UInt64, name: () -> String) -> Int32 {
        if let id = ids[hash] { return id }
        guard names.count < capacity else { return 0 }
        let id = Int32(names.count)
        names.append(name())
        ids.set(id, for: hash)
        return id
    }

    public func id(_ name: String) -> Int32 { id(hash: ByteHash.fnv1a(name)) { name } }

    public func name(_ id: Int32) -> String { names[Int(id)] }

    /// The pool as saved in a state snapshot.
    var saved: [String] { names }

    func restore(_ saved: [String]) {
        names = saved.isEmpty ? ["(other)"] : saved
        ids = PrehashedIndex(minimumCapacity: names.count)
        for (i, name) in names.enumerated() where i > 0 { ids.set(Int32(i), for: ByteHash.fnv1a(name)) }
    }
}

/// How often each value of one feature was seen — in distinct hours, so that a burst of calls
/// (an intruder's first minutes) weighs one hour, not one per call — with weights that decay, at
/// most `capacity` values (the lightest is replaced when a new one arrives).
public struct FrequencyTable: Codable, Sendable {
    /// One value: its pool ID, decayed weight, and the hour (since the epoch) it last added weight.
    struct Entry: Codable, Sendable {
        var id: Int32
        var weight: Float
        var hour: Int32
    }

    /// The values, in one array of 12-byte entries (one allocation a table).
    private(set) var entries: [Entry] = []
    let capacity: Int
    /// The largest weight held, kept as the weights change (each change applies the same
    /// arithmetic to it as to its entry), so judging a value reads only the entries up to it.
    private var heaviest: Float = 0

    init(capacity: Int) { self.capacity = capacity }

    enum CodingKeys: String, CodingKey { case entries, capacity }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entries = try container.decode([Entry].self, forKey: .entries)
        capacity = try container.decode(Int.self, forKey: .capacity)
        heaviest = entries.lazy.map(\.weight).max() ?? 0
    }

    /// The pool IDs of the values held.
    public var ids: [Int32] { entries.map(\.id) }

    func weight(of id: Int32) -> Float? {
        guard let i = index(of: id) else { return nil }
        return entries[i].weight
    }

    /// The slot of `id`: a plain loop over at most ``capacity`` entries.
    @inline(__always)
    func index(of id: Int32) -> Int? {
        entries.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count where buffer[i].id == id { return i }
            return nil
        }
    }

    /// `FREQUENT` within a tenth of the heaviest value's weight, `INFREQUENT` within a hundredth,
    /// else `RARE`; a value seen in about one hour only is `RARE` whatever its share.
    func frequency(of id: Int32) -> ProfileFrequency {
        guard let w = weight(of: id) else { return .unseen }
        if w < 1.5 || w < heaviest * 0.01 { return .rare }
        return w >= heaviest * 0.1 ? .frequent : .infrequent
    }

    /// Counts `id` once for `hour`.
    mutating func add(_ id: Int32, hour: Int32) {
        // A value already held (most calls) is found and counted in one pass over the entries.
        let counted: Bool = entries.withUnsafeMutableBufferPointer { entries in
            var i = 0
            while i < entries.count && entries[i].id != id { i += 1 }
            guard i < entries.count else { return false }
            // Move-to-front (by one swap): the values seen most often are found in the first probes.
            if i > 0 { entries.swapAt(i, i / 2) }
            let j = i / 2
            if entries[j].hour != hour {
                entries[j].weight += 1
                entries[j].hour = hour
                heaviest = max(heaviest, entries[j].weight)
            }
            return true
        }
        if counted { return }
        if entries.count < capacity {
            // Grow by quarters of the capacity, not by doubling from one: fewer allocations left behind.
            if entries.count == entries.capacity { entries.reserveCapacity(min(capacity, entries.count + max(4, capacity / 4))) }
            entries.append(Entry(id: id, weight: 1, hour: hour))
        } else if let lightest = entries.indices.min(by: { entries[$0].weight < entries[$1].weight }) {
            // The lightest is the heaviest only when all weigh the same, and then the others still
            // do — unless it was the only one.
            entries[lightest] = Entry(id: id, weight: 1, hour: hour)
            if entries.count == 1 { heaviest = 1 }
        }
        heaviest = max(heaviest, 1)
    }

    mutating func decay(by factor: Float) {
        for i in entries.indices { entries[i].weight *= factor }
        heaviest *= factor
    }

    /// The values grouped by frequency, heaviest first (for a finding's `profiles`).
    func grouped() -> [(ProfileFrequency, [Int32])] {
        var groups: [ProfileFrequency: [(Int32, Float)]] = [:]
        for entry in entries { groups[frequency(of: entry.id), default: []].append((entry.id, entry.weight)) }
        return [ProfileFrequency.frequent, .infrequent, .rare].compactMap { level in
            guard let members = groups[level] else { return nil }
            return (level, members.sorted { $0.1 > $1.1 }.prefix(10).map(\.0))
        }
    }
}

/// The features a behaviour profile learns, with how many values of each it keeps.
public enum ProfileFeature: Int, CaseIterable, Sendable, Codable {
    case api, network, country, userAgent, region, instanceType

    /// The name in a finding's `service.detection.anomaly`.
    public var label: String {
        switch self {
        case .api: "API"
        case .network: "ASN"
        case .country: "COUNTRY"
        case .userAgent: "USER_AGENT"
        case .region: "REGION"
        case .instanceType: "INSTANCE_TYPE"
        }
    }

    var capacity: Int {
        switch self {
        case .api: 96
        case .network: 24
        case .country: 12
        case .userAgent: 16
        case .region: 12
        case .instanceType: 12
        }
    }
}

/// What a principal (or a whole account) usually does: which APIs it calls, from which networks,
/// countries, user-agent families and regions, at which hours, and what it launches. Weights
/// decay with a half-life, so the profile follows slow change. About 1.8 KB when every table is
/// full (``ProfileFeature/capacity`` entries of 8 bytes, plus 24 hourly weights).
public struct BehaviourProfile: Codable, Sendable {
    /// The principal's name for findings (`alice`, `role/Deploy`).
    public var name: String
    /// First and last event seen, in seconds (event time).
    public var firstSeen: Int64
    public var lastSeen: Int64
    /// Decayed number of events.
    public var events: Float = 0
    /// The hour (since the epoch) up to which weights are decayed.
    var decayedHour: Int64
    var tables: [FrequencyTable] = ProfileFeature.allCases.map { FrequencyTable(capacity: $0.capacity) }
    /// Decayed events per hour of the day (UTC).
    var hours = [Float](repeating: 0, count: 24)
    /// The most instances one launch call asked for (decayed).
    var largestLaunch: Float = 0

    init(name: String, time: Int64) {
        self.name = name
        firstSeen = time
        lastSeen = time
        decayedHour = time / 3600
    }

    subscript(feature: ProfileFeature) -> FrequencyTable {
        get { tables[feature.rawValue] }
        set { tables[feature.rawValue] = newValue }
    }

    /// Whether the profile has learned long enough (event time) to judge events.
    func hasLearned(at time: Int64, period: Int64, minimumEvents: Float) -> Bool {
        time - firstSeen >= period && events >= minimumEvents
    }

    /// How unusual the hour of `time` is: `RARE` when under 2 % of the events fell in that hour.
    func hourFrequency(_ time: Int64) -> ProfileFrequency {
        let hour = Int((time % 86_400 + 86_400) % 86_400 / 3600)
        let total = hours.reduce(0, +)
        guard total > 0 else { return .unseen }
        let share = hours[hour] / total
        if hours[hour] < 0.5 { return .unseen }
        return share < 0.02 ? .rare : share < 0.06 ? .infrequent : .frequent
    }

    /// Decays every weight to `time` (whole hours), with a half-life of `halfLifeHours`.
    mutating func decay(to time: Int64, halfLifeHours: Double) {
        let hour = time / 3600
        guard hour > decayedHour else { return }
        let factor = Float(exp2(-Double(hour - decayedHour) / halfLifeHours))
        decayedHour = hour
        for i in tables.indices { tables[i].decay(by: factor) }
        for i in hours.indices { hours[i] *= factor }
        events *= factor
        largestLaunch *= factor
    }

    /// Learns one event with its feature values (`nil`: the event has no such value).
    mutating func learn(time: Int64, values: FeatureValues, launchCount: Int) {
        if time > lastSeen { lastSeen = time }
        if time < firstSeen { firstSeen = time }
        events += 1
        let hour = Int32(truncatingIfNeeded: time / 3600)
        for feature in ProfileFeature.allCases {
            if let id = values[feature] { tables[feature.rawValue].add(id, hour: hour) }
        }
        hours[Int((time % 86_400 + 86_400) % 86_400 / 3600)] += 1
        largestLaunch = max(largestLaunch, Float(launchCount))
    }
}

/// One event's value of each feature, as pool IDs (`nil`: the event has no such value). Fixed
/// storage, so describing an event allocates nothing.
public struct FeatureValues: Sendable {
    private var api: Int32 = -1, network: Int32 = -1, country: Int32 = -1, userAgent: Int32 = -1,
                region: Int32 = -1, instanceType: Int32 = -1

    public init() {}

    public subscript(feature: ProfileFeature) -> Int32? {
        get {
            let v = switch feature {
            case .api: api
            case .network: network
            case .country: country
            case .userAgent: userAgent
            case .region: region
            case .instanceType: instanceType
            }
            return v < 0 ? nil : v
        }
        set {
            let v = newValue ?? -1
            switch feature {
            case .api: api = v
            case .network: network = v
            case .country: country = v
            case .userAgent: userAgent = v
            case .region: region = v
            case .instanceType: instanceType = v
            }
        }
    }
}
