import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import VigilIntel
import VigilModel
import VigilStore

/// The four kinds of list GuardDuty's API manages, as one mechanism: IPSet and TrustedEntitySet
/// are trusted lists (activity from or to them raises nothing), ThreatIntelSet and
/// ThreatEntitySet are threat lists (they raise the `.Custom` finding types).
public enum IntelSetKind: String, CaseIterable, Sendable {
    case ipset, threatintelset, threatentityset, trustedentityset

    public var trusted: Bool { self == .ipset || self == .trustedentityset }

    /// The JSON member naming one set's ID (`ipSetId`) and the list of them (`ipSetIds`).
    var idKey: String {
        switch self {
        case .ipset: "ipSetId"
        case .threatintelset: "threatIntelSetId"
        case .threatentityset: "threatEntitySetId"
        case .trustedentityset: "trustedEntitySetId"
        }
    }

    /// The noun in the operations' names (`CreateIPSet`, `ListThreatEntitySets`).
    var operationNoun: String {
        switch self {
        case .ipset: "IPSet"
        case .threatintelset: "ThreatIntelSet"
        case .threatentityset: "ThreatEntitySet"
        case .trustedentityset: "TrustedEntitySet"
        }
    }

    /// The URI label naming one set (`{IpSetId}`).
    var uriLabel: String {
        switch self {
        case .ipset: "IpSetId"
        case .threatintelset: "ThreatIntelSetId"
        case .threatentityset: "ThreatEntitySetId"
        case .trustedentityset: "TrustedEntitySetId"
        }
    }

    /// The most sets of this kind a detector may have (GuardDuty's quotas).
    var quota: Int { trusted ? 1 : 6 }

    /// Entity sets report their times and errors; the older two do not.
    var isEntitySet: Bool { self == .threatentityset || self == .trustedentityset }
}

/// Reads a set's list from its location, within the operator's ``ListLocationPolicy``: a file
/// read when needed, or a URL fetched at activation and kept as a copy in ``cacheDirectory`` (a
/// folder outside every allowed one, so no caller can name another's copy).
public struct IntelSetLoader: Sendable {
    public let policy: ListLocationPolicy
    /// Where copies of fetched lists are kept.
    public let cacheDirectory: String

    public init(policy: ListLocationPolicy, cacheDirectory: String) {
        self.policy = policy
        self.cacheDirectory = cacheDirectory
    }

    /// The set's list as a source, read for the caller's `account`: a file is read now; a URL's
    /// copy is used unless `refresh` (or missing), when the URL is fetched again.
    public func source(for set: IntelSetRecord, account: String, refresh: Bool) throws(ListLocationPolicy.Failure) -> ThreatListSource {
        let copy = (cacheDirectory as NSString).appendingPathComponent("\(set.kind)-\(set.id).list")
        let data: Data
        if set.location.hasPrefix("/") || set.location.lowercased().hasPrefix("file:") {
            data = try policy.read(try policy.check(set.location, account: account))
        } else if !refresh, policy.allows(set.location, account: account), let cached = try? ListLocationPolicy.readFile(copy, limit: policy.maximumBytes) {
            data = cached
        } else {
            data = try policy.read(try policy.check(set.location, account: account))
            do {
                try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                try data.write(to: URL(fileURLWithPath: copy), options: .atomic)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: copy)
            } catch {
                throw ListLocationPolicy.Failure(reason: "cannot keep a copy of the list: \(error)")
            }
        }
        return ThreatListSource(name: set.name, category: .custom, format: ListFormat(name: set.format), path: set.location,
                                text: String(decoding: data, as: UTF8.self))
    }

    /// Reads (fetching again) and parses the set for `account`; the reason it cannot be used, or `nil`.
    public func check(_ set: IntelSetRecord, account: String) -> String? {
        do {
            let source = try source(for: set, account: account, refresh: true)
            let kind = IntelSetKind(rawValue: set.kind)
            let intel = kind?.trusted == true ? try ThreatIntelligence.load(threatLists: [], trustedLists: [source])
                : try ThreatIntelligence.load(threatLists: [source])
            if (kind?.trusted == true ? intel.trustedCount : intel.lists.map(\.indicatorCount).reduce(0, +)) == 0 {
                return "the list holds no usable entries"
            }
            return nil
        } catch let failure as ListLocationPolicy.Failure {
            return failure.reason
        } catch {
            return "\(error)"
        }
    }

    /// Removes the copy of a set's list.
    public func forget(_ set: IntelSetRecord) {
        try? FileManager.default.removeItem(atPath: (cacheDirectory as NSString).appendingPathComponent("\(set.kind)-\(set.id).list"))
    }
}

extension GuardDutyAPI {
    func intelSets(_ kind: IntelSetKind, _ method: String, _ detector: DetectorRecord, setId: String?, _ body: [String: Any],
                   query: [String: String]) throws -> APIResponse {
        let stamp = self.stamp()
        switch (method, setId) {
        case ("POST", nil):
            // The model has checked the members' presence, kinds and lengths.
            let name = body["name"] as? String ?? "", format = body["format"] as? String ?? "TXT"
            let location = body["location"] as? String ?? "", activate = body["activate"] as? Bool ?? false
            let existing = try store.intelSets(detectorId: detector.id).filter { $0.kind == kind.rawValue }.count
            guard existing < kind.quota else {
                throw APIError.badRequest("The request is rejected because the detector already has \(kind.quota) \(kind.operationNoun)\(kind.quota == 1 ? "" : "s"), the most it may have.")
            }
            try checkLocation(location, detector)
            let id = RandomID.make()
            var set = IntelSetRecord(kind: kind.rawValue, id: id, detectorId: detector.id, name: name, format: format, location: location,
                                     status: .inactive, errorDetails: nil, createdAt: stamp, updatedAt: stamp)
            apply(activate: activate, to: &set)
            try store.saveIntelSet(set)
            let tags = try Self.tags(body["tags"])
            if !tags.isEmpty { try store.setTags(tags, resourceArn: Self.arn(detector.accountId, detector.region, "detector/\(detector.id)/\(kind.rawValue)/\(id)")) }
            activation?.enqueue(set)
            onIntelChange()
            return .json([kind.idKey: id])
        case ("GET", nil):
            let ids = try store.intelSets(detectorId: detector.id).filter { $0.kind == kind.rawValue }.map(\.id)
            let (page, next) = try Self.page(ids, maxResults: query["maxResults"].map { Int($0) ?? -1 }, nextToken: query["nextToken"], limit: 50)
            var out: [String: Any] = [kind.idKey + "s": page]
            if let next { out["nextToken"] = next }
            return .json(out)
        case (_, let id?):
            guard var set = try store.intelSet(id: id), set.detectorId == detector.id, set.kind == kind.rawValue else {
                throw APIError.badRequest("The request is rejected because the \(kind.idKey) \(id) does not exist.")
            }
            let arn = Self.arn(detector.accountId, detector.region, "detector/\(detector.id)/\(kind.rawValue)/\(id)")
            switch method {
            case "GET":
                var out: [String: Any] = ["name": set.name, "format": set.format, "location": set.location, "status": (activation?.status(of: set) ?? set.status).rawValue,
                                          "tags": try store.tags(resourceArn: arn)]
                if kind.isEntitySet {
                    out["createdAt"] = Double(Timestamp(iso8601: set.createdAt)?.millisecondsSinceEpoch ?? 0) / 1000
                    out["updatedAt"] = Double(Timestamp(iso8601: set.updatedAt)?.millisecondsSinceEpoch ?? 0) / 1000
                    if let error = set.errorDetails { out["errorDetails"] = error }
                }
                return .json(out)
            case "POST":
                if let name = body["name"] as? String { set.name = name }
                var moved = false
                if let location = body["location"] as? String, location != set.location {
                    try checkLocation(location, detector)
                    set.location = location
                    moved = true
                }
                let activate = body["activate"] as? Bool ?? (set.status != .inactive)
                // A set read before and unchanged stays active; any other activation reads the list again.
                if !activate || moved || set.status != .active { apply(activate: activate, to: &set) }
                set.updatedAt = stamp
                try store.saveIntelSet(set)
                activation?.enqueue(set)
                onIntelChange()
                return .json([:])
            case "DELETE":
                try store.deleteIntelSet(id: id)
                loader.forget(set)
                onIntelChange()
                return .json([:])
            default: break
            }
        default: break
        }
        throw APIError(status: 404, type: "UnknownOperationException", message: "No GuardDuty operation at \(method) \(kind.rawValue).")
    }

    /// Activating a set makes it `ACTIVATING`: ``ListActivation`` reads and checks the list off the
    /// request path and makes it `ACTIVE`, or `ERROR` with the reason. Deactivating is immediate.
    func apply(activate: Bool, to set: inout IntelSetRecord) {
        set.status = activate ? .activating : .inactive
        set.errorDetails = nil
    }

    /// Refuses a location outside the operator's allowlist — in the same words whatever it names.
    func checkLocation(_ location: String, _ detector: DetectorRecord) throws {
        guard loader.policy.allows(location, account: detector.accountId) else {
            throw APIError.badRequest("The request is rejected because \(ListLocationPolicy.refusal).")
        }
    }
}

/// Random IDs for resources created through the API (32 hex digits, as GuardDuty's).
enum RandomID {
    static func make() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
