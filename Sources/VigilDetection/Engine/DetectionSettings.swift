import Foundation

/// The windows and thresholds of the behaviour detectors — the `detection` section of Vigil's
/// configuration file. Each member has a documented default (see the README), and a configuration
/// names only what it changes:
///
/// ```json
/// {"detection": {"networkBehaviour": {"portscanPorts": 30}, "dnsDataExfiltration": {"encodedQueries": 20}}}
/// ```
public struct DetectionSettings: Codable, Sendable, Equatable {
    public var networkBehaviour = NetworkBehaviour.Thresholds()
    public var denialOfService = DenialOfService.Thresholds()
    public var unusualDNS = UnusualDNSTraffic.Settings()
    public var portProbes = PortProbes.Settings()
    public var domainGeneration = DomainGenerationRequests.Thresholds()
    public var dnsDataExfiltration = DNSDataExfiltration.Thresholds()
    public var baselines = BaselineSettings()

    public init() {}

    /// A setting that cannot be used; `path` names it (`networkBehaviour.portscanPorts`).
    public struct Problem: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "detection.\(path): \(reason)" }
    }

    /// The defaults with the members of `overrides` (a JSON object, as `JSONSerialization` reads
    /// it) laid over them. Unknown names and wrongly typed or out-of-range values are errors.
    public static func merging(_ overrides: Any) throws(Problem) -> DetectionSettings {
        guard let overrides = overrides as? [String: Any] else { throw Problem(path: "", reason: "must be an object") }
        let defaults: [String: Any]
        do {
            defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(DetectionSettings())) as? [String: Any] ?? [:]
        } catch {
            throw Problem(path: "", reason: "\(error)")
        }
        var merged = defaults
        for (section, value) in overrides {
            guard let base = defaults[section] as? [String: Any] else { throw Problem(path: section, reason: "unknown section") }
            guard let members = value as? [String: Any] else { throw Problem(path: section, reason: "must be an object") }
            var combined = base
            for (name, setting) in members {
                guard base[name] != nil else { throw Problem(path: "\(section).\(name)", reason: "unknown setting") }
                combined[name] = setting
            }
            merged[section] = combined
        }
        let settings: DetectionSettings
        do {
            settings = try JSONDecoder().decode(DetectionSettings.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context), let DecodingError.valueNotFound(_, context) {
            throw Problem(path: context.codingPath.map(\.stringValue).joined(separator: "."), reason: "wrong type or value")
        } catch {
            throw Problem(path: "", reason: "\(error)")
        }
        try settings.validate()
        return settings
    }

    /// Checks ranges the detectors rely on.
    public func validate() throws(Problem) {
        func positive(_ value: Int64, _ path: String) throws(Problem) {
            if value <= 0 { throw Problem(path: path, reason: "must be positive") }
        }
        func count(_ value: Int, _ path: String, max: Int = 1_000_000) throws(Problem) {
            if value < 1 || value > max { throw Problem(path: path, reason: "must be between 1 and \(max)") }
        }
        let n = networkBehaviour
        try positive(n.window, "networkBehaviour.window")
        try count(n.portscanPorts, "networkBehaviour.portscanPorts", max: 100)
        try count(n.portSweepHosts, "networkBehaviour.portSweepHosts", max: 100)
        try count(n.bruteForceAttempts, "networkBehaviour.bruteForceAttempts", max: 100)
        try count(n.spamHosts, "networkBehaviour.spamHosts", max: 100)
        try count(n.tableCapacity, "networkBehaviour.tableCapacity", max: 1 << 24)
        try positive(denialOfService.window, "denialOfService.window")
        if denialOfService.packets == 0 { throw Problem(path: "denialOfService.packets", reason: "must be positive") }
        try count(Int(denialOfService.records), "denialOfService.records")
        try count(denialOfService.sourcePorts, "denialOfService.sourcePorts", max: 500)
        if !(0...1).contains(denialOfService.replyShare) { throw Problem(path: "denialOfService.replyShare", reason: "must be between 0 and 1") }
        try count(denialOfService.tableCapacity, "denialOfService.tableCapacity", max: 1 << 24)
        for resolver in unusualDNS.usualResolvers where VigilIntelPrefix.parse(resolver) == false {
            throw Problem(path: "unusualDNS.usualResolvers", reason: "'\(resolver)' is not an address or CIDR block")
        }
        try count(unusualDNS.resolverExchanges, "unusualDNS.resolverExchanges")
        try count(unusualDNS.resolverMaximumPeers, "unusualDNS.resolverMaximumPeers", max: 8)
        try count(unusualDNS.tableCapacity, "unusualDNS.tableCapacity", max: 1 << 24)
        try count(unusualDNS.newResolverExchanges, "unusualDNS.newResolverExchanges")
        try count(unusualDNS.maxInstances, "unusualDNS.maxInstances", max: 10_000_000)
        if !(0...365).contains(unusualDNS.learningDays) { throw Problem(path: "unusualDNS.learningDays", reason: "must be between 0 and 365") }
        try positive(domainGeneration.window, "domainGeneration.window")
        try count(domainGeneration.classifiedDomains, "domainGeneration.classifiedDomains", max: 64)
        try count(domainGeneration.nxdomainDomains, "domainGeneration.nxdomainDomains", max: 256)
        try count(domainGeneration.suspiciousDomains, "domainGeneration.suspiciousDomains", max: 64)
        if !(0...1).contains(domainGeneration.suspiciousShare) { throw Problem(path: "domainGeneration.suspiciousShare", reason: "must be between 0 and 1") }
        if !(0...1).contains(domainGeneration.classifiedShare) { throw Problem(path: "domainGeneration.classifiedShare", reason: "must be between 0 and 1") }
        try count(domainGeneration.burstDomains, "domainGeneration.burstDomains", max: 64)
        try positive(domainGeneration.burstWindow, "domainGeneration.burstWindow")
        if !(0...1).contains(domainGeneration.burstShare) { throw Problem(path: "domainGeneration.burstShare", reason: "must be between 0 and 1") }
        try count(domainGeneration.routineBursts, "domainGeneration.routineBursts", max: 1_000_000)
        try count(domainGeneration.instanceCapacity, "domainGeneration.instanceCapacity", max: 1 << 24)
        try positive(dnsDataExfiltration.window, "dnsDataExfiltration.window")
        try count(dnsDataExfiltration.encodedQueries, "dnsDataExfiltration.encodedQueries")
        try count(dnsDataExfiltration.tableCapacity, "dnsDataExfiltration.tableCapacity", max: 1 << 24)
        try baselines.validate()
    }
}

import VigilIntel

enum VigilIntelPrefix {
    static func parse(_ text: String) -> Bool { IPPrefix(text) != nil }
}
