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

    /// Entity sets report their times and errors; the older two do not.
    var isEntitySet: Bool { self == .threatentityset || self == .trustedentityset }
}

/// Fetches and checks a set's list: a file path, a `file://` URL, or an `http(s)://` URL (S3's
/// included) copied into Vigil's data folder; the list must parse in its format.
public struct IntelSetLoader: Sendable {
    /// Where fetched lists are kept.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The local file for `set`, fetching it when remote (or reusing the copy fetched when it was
    /// activated, unless `refresh`).
    public func localPath(for set: IntelSetRecord, refresh: Bool = true) throws -> String {
        if set.location.hasPrefix("/") { return set.location }
        guard let url = URL(string: set.location), let scheme = url.scheme?.lowercased() else {
            throw LoadFailure(reason: "location is neither a path nor a URL")
        }
        if scheme == "file" { return url.path }
        guard scheme == "http" || scheme == "https" else { throw LoadFailure(reason: "unsupported URL scheme \(scheme)") }
        let path = (directory as NSString).appendingPathComponent("\(set.kind)-\(set.id).list")
        if !refresh, FileManager.default.fileExists(atPath: path) { return path }
        let data: Data
        do { data = try Self.fetch(url) } catch { throw LoadFailure(reason: "cannot fetch \(set.location): \(error)") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }

    /// The set as a list source (after fetching it, or from the fetched copy unless `refresh`).
    public func source(for set: IntelSetRecord, refresh: Bool = true) throws -> ThreatListSource {
        ThreatListSource(name: set.name, category: .custom, format: ListFormat(name: set.format), path: try localPath(for: set, refresh: refresh))
    }

    /// Fetches and parses the set; the reason it cannot be used, or `nil`.
    public func check(_ set: IntelSetRecord) -> String? {
        do {
            let source = try source(for: set)
            let kind = IntelSetKind(rawValue: set.kind)
            let intel = kind?.trusted == true ? try ThreatIntelligence.load(threatLists: [], trustedLists: [source])
                : try ThreatIntelligence.load(threatLists: [source])
            if (kind?.trusted == true ? intel.trustedCount : intel.lists.map(\.indicatorCount).reduce(0, +)) == 0 {
                return "the list holds no usable entries"
            }
            return nil
        } catch let failure as LoadFailure {
            return failure.reason
        } catch {
            return "\(error)"
        }
    }

    struct LoadFailure: Error { let reason: String }

    static func fetch(_ url: URL) throws -> Data {
        final class Box: @unchecked Sendable { var result: Result<Data, Error> = .failure(URLError(.timedOut)) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        var request = URLRequest(url: url)
        request.timeoutInterval = 30
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error { box.result = .failure(error) }
            else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                box.result = .failure(LoadFailure(reason: "HTTP \(http.statusCode)"))
            } else { box.result = .success(data ?? Data()) }
            done.signal()
        }.resume()
        done.wait()
        return try box.result.get()
    }
}

extension GuardDutyAPI {
    func intelSets(_ kind: IntelSetKind, _ method: String, _ detector: DetectorRecord, setId: String?, _ body: [String: Any],
                   query: [String: String]) throws -> APIResponse {
        let stamp = self.stamp()
        switch (method, setId) {
        case ("POST", nil):
            guard let name = body["name"] as? String, (1...300).contains(name.count) else { throw APIError.badRequest("The request is rejected because name is missing or not 1 to 300 characters.") }
            guard let format = body["format"] as? String, ["TXT", "STIX", "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE"].contains(format) else {
                throw APIError.badRequest("The request is rejected because format must be TXT, STIX, OTX_CSV, ALIEN_VAULT, PROOF_POINT or FIRE_EYE.")
            }
            guard let location = body["location"] as? String, !location.isEmpty else { throw APIError.badRequest("The request is rejected because location is missing.") }
            guard let activate = body["activate"] as? Bool else { throw APIError.badRequest("The request is rejected because activate is missing or not a boolean.") }
            let id = RandomID.make()
            var set = IntelSetRecord(kind: kind.rawValue, id: id, detectorId: detector.id, name: name, format: format, location: location,
                                     status: "INACTIVE", errorDetails: nil, createdAt: stamp, updatedAt: stamp)
            apply(activate: activate, to: &set)
            try store.saveIntelSet(set)
            let tags = try Self.tags(body["tags"])
            if !tags.isEmpty { try store.setTags(tags, resourceArn: Self.arn(detector.accountId, detector.region, "detector/\(detector.id)/\(kind.rawValue)/\(id)")) }
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
                var out: [String: Any] = ["name": set.name, "format": set.format, "location": set.location, "status": set.status,
                                          "tags": try store.tags(resourceArn: arn)]
                if kind.isEntitySet {
                    out["createdAt"] = Double(Timestamp(iso8601: set.createdAt)?.millisecondsSinceEpoch ?? 0) / 1000
                    out["updatedAt"] = Double(Timestamp(iso8601: set.updatedAt)?.millisecondsSinceEpoch ?? 0) / 1000
                    if let error = set.errorDetails { out["errorDetails"] = error }
                }
                return .json(out)
            case "POST":
                if let name = body["name"] { guard let n = name as? String, !n.isEmpty else { throw APIError.badRequest("name must be a string.") }; set.name = n }
                if let location = body["location"] { guard let l = location as? String, !l.isEmpty else { throw APIError.badRequest("location must be a string.") }; set.location = l }
                var activate = set.status == "ACTIVE"
                if let a = body["activate"] { guard let flag = a as? Bool else { throw APIError.badRequest("activate must be a boolean.") }; activate = flag }
                set.updatedAt = stamp
                apply(activate: activate, to: &set)
                try store.saveIntelSet(set)
                onIntelChange()
                return .json([:])
            case "DELETE":
                try store.deleteIntelSet(id: id)
                onIntelChange()
                return .json([:])
            default: break
            }
        default: break
        }
        throw APIError(status: 404, type: "UnknownOperationException", message: "No GuardDuty operation at \(method) \(kind.rawValue).")
    }

    /// Activation fetches and checks the list: ACTIVE when it loads, ERROR (with the reason) when not.
    func apply(activate: Bool, to set: inout IntelSetRecord) {
        guard activate else {
            set.status = "INACTIVE"
            set.errorDetails = nil
            return
        }
        if let problem = loader.check(set) {
            set.status = "ERROR"
            set.errorDetails = problem
        } else {
            set.status = "ACTIVE"
            set.errorDetails = nil
        }
    }
}

/// Random IDs for resources created through the API (32 hex digits, as GuardDuty's).
enum RandomID {
    static func make() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
