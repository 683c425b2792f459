import Foundation
import VigilGeo
import VigilLogs
import VigilModel

/// `<Tactic>:IAMUser/AnomalousBehavior` — an API of an attacker's tactic (``APITactic``) called in a
/// way the caller's profile, and its account's, have not seen.
///
/// Every CloudTrail event (except those AWS services make as themselves) teaches two
/// ``BehaviourProfile``s: the principal's (an IAM user, a role by its session issuer, root) and the
/// whole account's. Once a profile has learned for ``BaselineSettings/learningDays`` of event time
/// (and seen ``BaselineSettings/minimumEvents``), calls of a tactic's API are judged against it
/// before they are learned. Features are grouped as the API, the origin (autonomous system or
/// country), the user-agent family and the region; a call is anomalous when
///
/// - two or more groups are unusual (`RARE` or `UNSEEN`) for the principal — a new API from a new
///   network, a known API from a new country with a new tool — where an origin the account sees
///   `FREQUENT`ly (the office) does not count as unusual; or
/// - the API has never been called by the principal nor by anyone in the account, and it is not a
///   discovery call; or
/// - it launches instances of a type or in a region the principal and account have not used, or
///   more than twice (and at least 5 more than) the most the principal ever launched at once —
///   an unusual deployment, an `Impact` anomaly.
///
/// A principal still learning is judged against its account alone (a freshly created user calling
/// from a network the account has never seen) — except that what it has itself done before is
/// never unusual for it. The finding's `service.detection.anomaly` holds the
/// profiled values of each unusual feature by frequency (`profiles.USER.ASN`, `profiles.ACCOUNT.API`)
/// and the unusual values (`unusual.behavior.USER.ASN`), as GuardDuty reports them.
public final class AnomalousBehaviour: CloudTrailDetector, LearningDetector {
    public let name = "anomalous-behaviour"
    public let findingTypes = APITactic.allCases.map(\.findingType)
    public let eventNames: Set<String>? = nil

    private let settings: BaselineSettings
    /// This detector's own reader of the shared enricher (see ``GeoFactsReader``).
    private let geo: GeoFactsReader?
    let pool = ValuePool()
    /// Principal and account profiles, and their slots by the hash of their key (one index
    /// lookup an event for each; the profiles are then changed in place in the array).
    private(set) var storage: [BehaviourProfile] = []
    private var slots = PrehashedIndex()
    private var keys: [UInt64] = []
    /// The tactic of each pooled value that is an API name (255: not an API or not yet looked up).
    private var tactics: [UInt8] = []
    private var newest: Int64 = .min
    private var lastRetire: Int64 = 0

    public init(settings: BaselineSettings = BaselineSettings(), geo: IPEnricher? = nil) {
        self.settings = settings
        self.geo = geo.map(GeoFactsReader.init)
    }

    /// Number of profiles held (principals and accounts).
    public var profileCount: Int { storage.count }

    /// Bytes the profiles take (their tables, names and slots), for `vigil bench`.
    public var footprint: Int {
        storage.reduce(0) { total, p in
            total + MemoryLayout<BehaviourProfile>.stride + p.name.utf8.count + 24 * 4 + 32
                + p.tables.reduce(0) { $0 + 32 + $1.entries.capacity * MemoryLayout<FrequencyTable.Entry>.stride } + 3 * 16
        }
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        let type = event.identityType
        guard event.eventName.isPresent, !type.equals("AWSService") else { return }
        let time = event.eventTime.secondsSinceEpoch
        let origin = CallOrigin(event, geo: geo)
        var values = FeatureValues()
        let apiId = pool.id(hash: ByteHash.fnv1a(event.eventName.bytes)) { event.eventName.string ?? "" }
        values[.api] = apiId
        values[.network] = origin.networkValue(event, pool: pool)
        values[.country] = origin.countryValue(pool: pool)
        values[.userAgent] = UserAgentFamily.value(event.userAgent, pool: pool)
        if event.awsRegion.isPresent {
            values[.region] = pool.id(hash: ByteHash.fnv1a(event.awsRegion.bytes) ^ 0x7265_6769) { event.awsRegion.string ?? "" }
        }
        var launchCount = 0
        if event.eventName.equals("RunInstances") {
            let request = event.requestParameters
            if let instanceType = Self.instanceType(in: request) {
                values[.instanceType] = pool.id(hash: ByteHash.fnv1a(instanceType) ^ 0x7479_7065) { instanceType }
            }
            launchCount = Self.launchCount(request)
        }

        let principal = Self.principalKey(event)
        let principalHash = ByteHash.fnv1a(principal.bytes) ^ 0x7072_696E
        let accountText = event.accountId
        let accountHash = ByteHash.fnv1a(accountText.bytes) ^ 0x6163_636F
        let user = slot(principalHash, time: time) { event.principalName ?? principal.string ?? "unknown" }
        let whole = slot(accountHash, time: time) { "account \(accountText.string ?? "unknown")" }
        let halfLife = settings.halfLifeHours
        storage[user].decay(to: time, halfLifeHours: halfLife)
        storage[whole].decay(to: time, halfLifeHours: halfLife)

        if let tactic = tactic(of: apiId) {
            judge(event, context, tactic: tactic, values: values, launchCount: launchCount, origin: origin,
                  user: user, account: whole, time: time, into: sink)
        }
        storage[user].learn(time: time, values: values, launchCount: launchCount)
        storage[whole].learn(time: time, values: values, launchCount: launchCount)
        if time > newest { newest = time }
        if storage.count > settings.maxProfiles || newest - lastRetire > 86_400 { retire() }
    }

    /// The slot of the profile of `hash`, made on first sight.
    private func slot(_ hash: UInt64, time: Int64, name: () -> String) -> Int {
        if let i = slots[hash] { return Int(i) }
        storage.append(BehaviourProfile(name: name(), time: time))
        keys.append(hash)
        slots.set(Int32(storage.count - 1), for: hash)
        return storage.count - 1
    }

    private func tactic(of apiId: Int32) -> APITactic? {
        let i = Int(apiId)
        if i >= tactics.count { tactics.append(contentsOf: repeatElement(254, count: i - tactics.count + 1)) }
        if tactics[i] == 254 {
            let tactic = APITactic.of(api: pool.name(apiId))
            tactics[i] = tactic.map { UInt8(APITactic.allCases.firstIndex(of: $0)!) } ?? 255
        }
        return tactics[i] == 255 ? nil : APITactic.allCases[Int(tactics[i])]
    }

    /// How `feature`'s value `id` compares with the principal's and the account's profiles, read
    /// where the profiles lie (no copy of either).
    @inline(__always)
    private func assess(_ feature: ProfileFeature, _ id: Int32, user: Int, account: Int, userLearned: Bool,
                        accountLearned: Bool) -> (user: ProfileFrequency?, account: ProfileFrequency?, unusual: Bool) {
        let u = userLearned ? storage[user].tables[feature.rawValue].frequency(of: id) : nil
        let a = accountLearned ? storage[account].tables[feature.rawValue].frequency(of: id) : nil
        switch feature {
        case .api, .userAgent:
            return (u, a, u.map(\.isUnusual) ?? (a == .unseen))
        case .network, .country, .region, .instanceType:
            // What the account does often is not unusual for any of its principals; and what a
            // principal too quiet to be judged on its own has done itself before (a weekly
            // launcher's network and region) is its habit, however rare for the account.
            let unusual = (u.map(\.isUnusual) ?? a.map(\.isUnusual) ?? false) && a != .frequent
                && (userLearned || storage[user].tables[feature.rawValue].frequency(of: id) == .unseen)
            return (u, a, unusual)
        }
    }

    private func judge(_ event: CloudTrailEvent, _ context: CloudTrailContext, tactic: APITactic, values: FeatureValues,
                       launchCount: Int, origin: CallOrigin, user userSlot: Int, account accountSlot: Int, time: Int64, into sink: FindingSink) {
        let period = settings.learningSeconds, minimum = Float(settings.minimumEvents)
        let userLearned = storage[userSlot].hasLearned(at: time, period: period, minimumEvents: minimum)
        let accountLearned = storage[accountSlot].hasLearned(at: time, period: period, minimumEvents: minimum)
        guard userLearned || accountLearned else { return }

        // Most calls fit their profiles: they are judged on plain values, and only a call that
        // does not fit gathers its details (below).
        let isLaunch = event.eventName.equals("RunInstances")
        // One bit per unusual feature, and one per unusual group (API, origin, user agent, region):
        // the origin counts once whether its network, its country or both are new.
        var unusualFeatures: UInt8 = 0, groups: UInt8 = 0
        var apiUnseenEverywhere = false
        for feature in ProfileFeature.allCases where feature != .instanceType || isLaunch {
            guard let id = values[feature] else { continue }
            let assessed = assess(feature, id, user: userSlot, account: accountSlot, userLearned: userLearned, accountLearned: accountLearned)
            guard assessed.unusual else { continue }
            unusualFeatures |= 1 << UInt8(feature.rawValue)
            let group: UInt8 = switch feature {
            case .api: 1
            case .network, .country: 2
            case .userAgent: 4
            case .region, .instanceType: 8
            }
            groups |= group
            if feature == .api && (assessed.user ?? .unseen) == .unseen && assessed.account == .unseen { apiUnseenEverywhere = true }
        }
        let largestLaunch = storage[userSlot].largestLaunch
        let unusualLaunch = launchCount >= Int(largestLaunch * 2) && launchCount >= Int(largestLaunch) + 5 && userLearned
        let regionOrType: UInt8 = 1 << UInt8(ProfileFeature.region.rawValue) | 1 << UInt8(ProfileFeature.instanceType.rawValue)
        let deployment = isLaunch && (unusualFeatures & regionOrType != 0 || unusualLaunch)
        let groupCount = groups.nonzeroBitCount
        guard groupCount >= 2 || (apiUnseenEverywhere && tactic != .discovery) || deployment else { return }

        let user = storage[userSlot], whole = storage[accountSlot]
        let unusual: [(ProfileFeature, ProfileFrequency?, ProfileFrequency?)] = ProfileFeature.allCases.compactMap { feature in
            guard unusualFeatures & 1 << UInt8(feature.rawValue) != 0, let id = values[feature] else { return nil }
            let assessed = assess(feature, id, user: userSlot, account: accountSlot, userLearned: userLearned, accountLearned: accountLearned)
            return (feature, assessed.user, assessed.account)
        }
        let reported = deployment ? APITactic.impact : tactic
        let anomaly = describe(unusual, values: values, user: userLearned ? user : nil, account: accountLearned ? whole : nil,
                               launchCount: launchCount, unusualLaunch: unusualLaunch, hourFrequency: userLearned ? user.hourFrequency(time) : nil)
        let api = event.eventName.string ?? "an API"
        let what = unusual.map { "\($0.0.label.lowercased().replacingOccurrences(of: "_", with: " ")) \(pool.name(values[$0.0]!))" }
            + (unusualLaunch ? ["\(launchCount) instances at once"] : [])
        let score = min(1.0, Double(groupCount) / 3 + (apiUnseenEverywhere ? 0.3 : 0) + (deployment ? 0.3 : 0))
        sink.report(context.observation(
            reported.findingType,
            title: "\(api) was invoked in an unusual way by \(user.name).",
            description: "\(context.principalDescription.capitalizedFirst) called \(api) \(origin.address == nil ? context.originDescription : "from \(origin.text)"), which does not fit what it and its account usually do: unusual \(what.joined(separator: ", ")).",
            identity: .init(resource: Self.principalKey(event).string ?? "unknown", actor: values[.network].map { pool.name($0) } ?? "unknown"),
            details: ["anomalyScore": score.text(decimals: 2), "unusual": what.joined(separator: "; ")],
            detection: Detection(anomaly: anomaly)))
    }

    /// GuardDuty's anomaly block: the profiled values of each unusual feature by frequency, and
    /// the unusual values.
    private func describe(_ unusual: [(ProfileFeature, ProfileFrequency?, ProfileFrequency?)], values: FeatureValues,
                          user: BehaviourProfile?, account: BehaviourProfile?, launchCount: Int, unusualLaunch: Bool,
                          hourFrequency: ProfileFrequency?) -> Anomaly {
        var profiled: [String: [String: [AnomalyObject]]] = [:]
        var behaviour: [String: [String: AnomalyObject]] = [:]
        for (scope, profile) in [("USER", user), ("ACCOUNT", account)] {
            guard let profile else { continue }
            for (feature, u, a) in unusual {
                guard let frequency = scope == "USER" ? u : a else { continue }
                profiled[scope, default: [:]][feature.label] = profile[feature].grouped().map { level, ids in
                    AnomalyObject(profileSubtype: level.rawValue, observations: Observations(text: ids.map { pool.name($0) }))
                }
                behaviour[scope, default: [:]][feature.label] = AnomalyObject(
                    profileSubtype: frequency.rawValue, observations: Observations(text: [pool.name(values[feature]!)]))
            }
        }
        if unusualLaunch, let user {
            profiled["USER", default: [:]]["INSTANCES_PER_LAUNCH"] = [AnomalyObject(
                profileSubtype: ProfileFrequency.frequent.rawValue, observations: Observations(text: ["up to \(Int(user.largestLaunch.rounded()))"]))]
            behaviour["USER", default: [:]]["INSTANCES_PER_LAUNCH"] = AnomalyObject(
                profileSubtype: ProfileFrequency.unseen.rawValue, observations: Observations(text: ["\(launchCount)"]))
        }
        if let hourFrequency, hourFrequency.isUnusual {
            behaviour["USER", default: [:]]["HOUR_OF_DAY"] = AnomalyObject(
                profileSubtype: hourFrequency.rawValue, observations: Observations(text: ["unusual hour (UTC)"]))
        }
        return Anomaly(profiles: profiled, unusual: AnomalyUnusual(behavior: behaviour))
    }

    /// The principal a profile belongs to: an assumed role by its session issuer (the role, not
    /// the session), else the identity's ARN, else its principal ID.
    static func principalKey(_ event: CloudTrailEvent) -> RawText {
        if event.identityType.equals("AssumedRole"), event.sessionIssuerArn.isPresent { return event.sessionIssuerArn }
        if event.identityArn.isPresent { return event.identityArn }
        if event.principalId.isPresent { return event.principalId }
        return event.identityType
    }

    /// The string value of `"instanceType":"…"` in a request's JSON text, found by a byte search.
    static func instanceType(in json: RawText) -> String? {
        guard let key = json.firstIndexIgnoringCase("\"instancetype\""), let start = json.start else { return nil }
        var i = key + 14
        while i < json.count && (start[i] == 0x20 || start[i] == UInt8(ascii: ":")) { i += 1 }
        guard i < json.count, start[i] == UInt8(ascii: "\"") else { return nil }
        let value = json.dropFirst(i + 1)
        guard let end = value.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return value.prefix(end).string
    }

    /// The instances a `RunInstances` request asks for (`maxCount`, else `minCount`, else 1), by a byte search.
    static func launchCount(_ json: RawText) -> Int {
        guard let start = json.start else { return 1 }
        for key in [json.firstIndexIgnoringCase("\"maxcount\""), json.firstIndexIgnoringCase("\"mincount\"")] {
            guard let key else { continue }
            var i = key + 10, n = 0, digits = 0
            while i < json.count && (start[i] == 0x20 || start[i] == UInt8(ascii: ":")) { i += 1 }
            while i < json.count, start[i] >= 48, start[i] <= 57, digits < 9 {
                n = n * 10 + Int(start[i] - 48)
                digits += 1
                i += 1
            }
            if digits > 0 { return n }
        }
        return 1
    }

    /// Drops profiles not seen for ``BaselineSettings/retireAfterDays`` and, past
    /// ``BaselineSettings/maxProfiles``, the least recently seen tenth.
    private func retire() {
        lastRetire = newest
        let horizon = newest - settings.retireSeconds
        var keep = storage.indices.filter { storage[$0].lastSeen >= horizon }
        if keep.count > settings.maxProfiles {
            let cut = keep.map { storage[$0].lastSeen }.sorted()[keep.count - settings.maxProfiles * 9 / 10]
            keep = keep.filter { storage[$0].lastSeen >= cut }
        }
        guard keep.count < storage.count else { return }
        storage = keep.map { storage[$0] }
        keys = keep.map { keys[$0] }
        reindex()
    }

    /// The slots of ``keys`` anew, after profiles were dropped or read back.
    private func reindex() {
        slots = PrehashedIndex(minimumCapacity: keys.count)
        for (i, key) in keys.enumerated() { slots.set(Int32(i), for: key) }
    }

    // MARK: - Learned state

    private struct SavedState: Codable {
        var version = 1
        var values: [String]
        var profiles: [UInt64: BehaviourProfile]
        var newest: Int64
    }

    public func saveState() throws -> Data {
        try JSONEncoder().encode(SavedState(values: pool.saved, profiles: Dictionary(uniqueKeysWithValues: zip(keys, storage)), newest: newest))
    }

    public func restoreState(_ data: Data) throws {
        let saved = try decodeState(SavedState.self, from: data, version: 1)
        pool.restore(saved.values)
        keys = Array(saved.profiles.keys)
        storage = keys.map { saved.profiles[$0]! }
        reindex()
        tactics = []
        newest = saved.newest
    }
}
