/// The learning and thresholds of the baseline detectors — `detection.baselines` in the
/// configuration file. Defaults are documented in the README.
public struct BaselineSettings: Codable, Sendable, Equatable {
    /// Event time a principal, account or instance is watched before anomalies are judged.
    public var learningDays: Double = 7
    /// Events a principal or account must have made (decayed) before anomalies are judged.
    public var minimumEvents: Double = 20
    /// Half-life of every learned weight: behaviour not repeated fades over this time.
    public var halfLifeDays: Double = 30
    /// Most principal and account profiles kept (the least recently seen are dropped).
    public var maxProfiles: Int = 50_000
    /// Profiles and instance models not updated for this long (event time) are dropped.
    public var retireAfterDays: Double = 90
    /// Failed console logins for one user, or from one address, within `failureWindow` seconds.
    public var failedLogins: Int = 10
    /// Calls refused (`AccessDenied`, `UnauthorizedOperation`) for one principal within the window…
    public var deniedCalls: Int = 20
    /// … spread over at least this many APIs.
    public var deniedAPIs: Int = 5
    public var failureWindow: Int64 = 600
    /// Two successful console logins this far apart (km) …
    public var travelMinimumKm: Double = 500
    /// … faster than this (km/h) are impossible travel.
    public var travelSpeedKmh: Double = 1000
    /// Outbound bytes in one hour from an instance to one remote host below which no volume is unusual.
    public var trafficMinimumBytes: Double = 50_000_000
    /// Anomaly score (0…1) of an instance's hourly volume from which traffic is unusual. The score
    /// is r / (r + 5) for a tail probability 10^-r: 0.35 is about one hour in 500, 0.5 one in 100,000.
    public var trafficScore: Double = 0.35
    /// An hour to one host this many times the largest the instance ever sent one host is unusual whatever its score.
    public var trafficJump: Double = 20
    /// Instance models kept (the least recently active are dropped).
    public var maxInstances: Int = 20_000

    public init() {}

    var learningSeconds: Int64 { Int64(learningDays * 86_400) }
    var halfLifeHours: Double { halfLifeDays * 24 }
    var retireSeconds: Int64 { Int64(retireAfterDays * 86_400) }

    func validate() throws(DetectionSettings.Problem) {
        func range(_ v: Double, _ r: ClosedRange<Double>, _ name: String) throws(DetectionSettings.Problem) {
            if !r.contains(v) { throw DetectionSettings.Problem(path: "baselines.\(name)", reason: "must be between \(r.lowerBound) and \(r.upperBound)") }
        }
        try range(learningDays, 0...365, "learningDays")
        try range(minimumEvents, 0...1e6, "minimumEvents")
        try range(halfLifeDays, 0.5...3650, "halfLifeDays")
        try range(Double(maxProfiles), 1...1e7, "maxProfiles")
        try range(retireAfterDays, 1...3650, "retireAfterDays")
        try range(Double(failedLogins), 2...1e6, "failedLogins")
        try range(Double(deniedCalls), 2...1e6, "deniedCalls")
        try range(Double(deniedAPIs), 1...1e6, "deniedAPIs")
        try range(Double(failureWindow), 1...86_400, "failureWindow")
        try range(travelMinimumKm, 0...20_000, "travelMinimumKm")
        try range(travelSpeedKmh, 1...100_000, "travelSpeedKmh")
        try range(trafficMinimumBytes, 0...1e15, "trafficMinimumBytes")
        try range(trafficScore, 0...1, "trafficScore")
        try range(trafficJump, 2...1e9, "trafficJump")
        try range(Double(maxInstances), 1...1e7, "maxInstances")
    }
}
