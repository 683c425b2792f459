import Foundation
import Logging
import Metrics
import VigilIntel
import VigilModel
import VigilPublish
import VigilStore

/// A response: status, headers and body.
public struct APIResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ object: Any, status: Int = 200) -> APIResponse {
        APIResponse(status: status, headers: ["Content-Type": "application/json"], body: JSONText.bytes(object))
    }

    public static func error(_ error: APIError) -> APIResponse {
        APIResponse(status: error.status, headers: ["Content-Type": "application/json", "X-Amzn-ErrorType": error.type], body: error.body)
    }
}

/// GuardDuty's API (rest-json, version 2017-11-28) over a ``FindingStore``: every request is
/// SigV4-verified and scoped to the caller's account and the region it signed for, and every
/// failure is answered the way AWS answers it — status, `X-Amzn-ErrorType`, `{"message": …}` —
/// whatever the body holds.
///
/// Operations: CreateDetector, GetDetector, ListDetectors, UpdateDetector, DeleteDetector,
/// ListFindings (FindingCriteria, sortCriteria, pagination), GetFindings, ArchiveFindings,
/// UnarchiveFindings, GetFindingsStatistics (COUNT_BY_SEVERITY and groupBy), UpdateFindingsFeedback
/// (``FeedbackRule``), CreateSampleFindings, CreateFilter, GetFilter, ListFilters, UpdateFilter,
/// DeleteFilter (action ARCHIVE: a suppression rule, ``Suppression``), GetUsageStatistics (by data
/// source and account), TagResource, UntagResource, ListTagsForResource, and Create/Get/List/
/// Update/Delete of IPSets, ThreatIntelSets, ThreatEntitySets and TrustedEntitySets (``IntelSetKind``:
/// their lists feed the detectors through `onIntelChange`), and the administrator/member operations
/// (CreateMembers, InviteMembers, GetMembers, ListMembers, DisassociateMembers, DeleteMembers,
/// StartMonitoringMembers, StopMonitoringMembers, ListInvitations, GetInvitationsCount,
/// DeclineInvitations, DeleteInvitations, AcceptAdministratorInvitation, GetAdministratorAccount,
/// DisassociateFromAdministratorAccount, and the deprecated AcceptInvitation, GetMasterAccount,
/// DisassociateFromMasterAccount:
/// an administrator's detector sees its enabled members' findings), and Create/Describe/List/
/// Update/Delete PublishingDestination (``ExportFolders``). With `testMode`,
/// `POST /moto-api/reset` wipes all state.
public struct GuardDutyAPI: Sendable {
    public let store: any FindingStore
    public let verifier: SigV4Verifier
    public let testMode: Bool
    /// Reads the lists of IPSets, threat-intel and entity sets, within the operator's allowlist.
    public let loader: IntelSetLoader
    /// Reads and checks the lists of sets being activated, off the request path.
    public let activation: ListActivation?
    /// Called after a list is added, changed or removed, so the detectors use it from then on.
    public let onIntelChange: @Sendable () -> Void
    /// Where publishing destinations write.
    public let exports: ExportFolders
    /// The clock (tests pin it).
    public let now: @Sendable () -> Date
    /// Checks every request against its operation's input shape.
    let validator: RequestValidator
    /// The most findings read for criteria and sorts the store cannot answer from its columns.
    public var candidateLimit = QueryBudget.candidateLimit
    /// Request durations by operation (made once: the metrics factory looks a metric up under a lock).
    let requestDurations: [String: Metrics.Timer]

    public init(store: any FindingStore, verifier: SigV4Verifier, testMode: Bool = false,
                loader: IntelSetLoader = IntelSetLoader(policy: ListLocationPolicy(folders: []), cacheDirectory: NSTemporaryDirectory()),
                activation: ListActivation? = nil,
                onIntelChange: @escaping @Sendable () -> Void = {}, exports: ExportFolders = ExportFolders(roots: [NSTemporaryDirectory()]),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.activation = activation
        self.exports = exports
        self.store = store
        self.verifier = verifier
        self.testMode = testMode
        validator = RequestValidator(lenient: testMode)
        self.loader = loader
        self.onIntelChange = onIntelChange
        self.now = now
        requestDurations = Dictionary(uniqueKeysWithValues: GuardDutyModel.operations.map {
            ($0.name, Metrics.Timer(label: "vigil_api_request_duration_seconds", dimensions: [("operation", $0.name)]))
        })
    }

    public func handle(_ request: SignedRequest) -> APIResponse {
        do {
            return try route(request)
        } catch let error as APIError {
            return .error(error)
        } catch {
            return .error(Self.internalError(error))
        }
    }

    /// Answers a request of a caller already authenticated some other way (the console's session),
    /// exactly as the same request signed by that caller would be answered.
    public func handle(_ request: SignedRequest, as caller: SigV4Verifier.Caller) -> APIResponse {
        do {
            return try route(request, caller: caller)
        } catch let error as APIError {
            return .error(error)
        } catch {
            return .error(Self.internalError(error))
        }
    }

    static let logger = Logger(label: "vigil.api")

    /// A failure of the server itself (the store unreachable, say): logged in full with a
    /// reference, answered with the reference only — a caller learns nothing of the store.
    static func internalError(_ error: any Error) -> APIError {
        let reference = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        logger.error("request failed", metadata: ["reference": "\(reference)", "error": "\(String(reflecting: error))"])
        return .internalError("The request failed (reference \(reference)); the server's log holds the cause.")
    }

    func route(_ request: SignedRequest) throws -> APIResponse {
        if testMode, request.method == "POST", request.path == "/moto-api/reset" {
            try store.reset()
            onIntelChange()
            return .json([:])
        }
        let caller: SigV4Verifier.Caller
        do { caller = try verifier.verify(request, now: now()) } catch { return .error(error) }
        return try route(request, caller: caller)
    }

    /// Finds the operation the method and path name (the most specific URI template wins), checks
    /// the request against its input shape, and runs its handler.
    func route(_ request: SignedRequest, caller: SigV4Verifier.Caller) throws -> APIResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true).map { String($0).removingPercentEncoding ?? String($0) }
        let matches = GuardDutyModel.operations.filter { $0.method.rawValue == request.method }
            .compactMap { operation in operation.bind(segments).map { (operation, $0) } }
        guard let (operation, labels) = matches.max(by: { $0.0.literalCount < $1.0.literalCount }),
              let handler = Self.handlers[operation.name] else {
            throw APIError(status: 404, type: "UnknownOperationException", message: "No GuardDuty operation at \(request.method) \(Self.shortened(request.path)).")
        }
        let body: JSONTree
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            body = .object([:])
        } else {
            do { body = try JSONTree(parsing: request.body) } catch {
                throw APIError(status: 400, type: "SerializationException", message: "The request body cannot be read: \(error).")
            }
        }
        let query = Self.queryParameters(request.query)
        try validator.validate(operation.input, body: body, labels: labels, query: query)
        let input = OperationRequest(operation: operation, caller: caller, labels: labels, query: query,
                                     body: body.foundationValue as? [String: Any] ?? [:])
        let started = ContinuousClock.now
        defer { requestDurations[operation.name]?.record(duration: ContinuousClock.now - started) }
        return try handler(self, input)
    }

    /// A path as error messages show it: at most 200 characters.
    static func shortened(_ text: String) -> String { text.count <= 200 ? text : String(text.prefix(197)) + "..." }

    // MARK: Detectors

    func createDetector(_ caller: SigV4Verifier.Caller, _ body: [String: Any]) throws -> APIResponse {
        guard let enable = body["enable"] as? Bool else { throw APIError.badRequest("The request is rejected because the required parameter 'enable' is missing or not a boolean.") }
        let existing = try store.detectors(accountId: caller.accountId, region: caller.region)
        // moto (and so `--test-mode`) allows more than one detector in a region; GuardDuty does not.
        if !existing.isEmpty && !testMode {
            throw APIError.badRequest("The request is rejected because a detector already exists for the current account.")
        }
        let frequency = try Self.frequency(body["findingPublishingFrequency"]) ?? "SIX_HOURS"
        let stamp = self.stamp()
        let id = existing.isEmpty ? StableIdentifier.detector(accountId: caller.accountId, region: caller.region)
            : StableIdentifier.hex(["detector", caller.accountId, caller.region, String(existing.count), stamp])
        let settings = DetectorSettings().updated(with: body)
        try store.createDetector(DetectorRecord(id: id, accountId: caller.accountId, region: caller.region, status: enable ? .enabled : .disabled,
                                                findingPublishingFrequency: frequency, createdAt: stamp, updatedAt: stamp, settings: settings.text))
        let tags = try Self.tags(body["tags"])
        if !tags.isEmpty { try store.setTags(tags, resourceArn: Self.arn(caller.accountId, caller.region, "detector/\(id)")) }
        return .json(["detectorId": id])
    }

    func listDetectors(_ caller: SigV4Verifier.Caller, query: [String: String]) throws -> APIResponse {
        let ids = try store.detectors(accountId: caller.accountId, region: caller.region).map(\.id)
        let (page, next) = try Self.page(ids, maxResults: query["maxResults"].map { Int($0) ?? -1 }, nextToken: query["nextToken"], limit: 50)
        var out: [String: Any] = ["detectorIds": page]
        if let next { out["nextToken"] = next }
        return .json(out)
    }

    func detectorResponse(_ d: DetectorRecord) throws -> APIResponse {
        let enabled = ["status": "ENABLED"]
        let tags = try store.tags(resourceArn: Self.arn(d.accountId, d.region, "detector/\(d.id)"))
        let settings = DetectorSettings(text: d.settings)
        var dataSources: [String: Any] = ["cloudTrail": enabled, "dnsLogs": enabled, "flowLogs": enabled, "s3Logs": ["status": "DISABLED"]]
        dataSources.merge(settings.dataSources) { _, set in set }
        var out: [String: Any] = [
            "createdAt": d.createdAt, "updatedAt": d.updatedAt, "status": d.status.rawValue, "findingPublishingFrequency": d.findingPublishingFrequency,
            "serviceRole": "arn:aws:iam::\(d.accountId):role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
            "tags": tags, "dataSources": dataSources,
        ]
        if !settings.features.isEmpty { out["features"] = settings.features }
        return .json(out)
    }

    func updateDetector(_ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        var d = detector
        if let enable = body["enable"] {
            guard let flag = enable as? Bool else { throw APIError.badRequest("'enable' must be a boolean.") }
            d.status = flag ? .enabled : .disabled
        }
        if let frequency = try Self.frequency(body["findingPublishingFrequency"]) { d.findingPublishingFrequency = frequency }
        d.settings = DetectorSettings(text: d.settings).updated(with: body).text
        d.updatedAt = stamp()
        try store.updateDetector(d)
        return .json([:])
    }

    func deleteDetector(_ detector: DetectorRecord) throws -> APIResponse {
        try store.deleteDetector(id: detector.id)
        return .json([:])
    }

    func ownedDetector(_ id: String, _ caller: SigV4Verifier.Caller) throws -> DetectorRecord {
        guard let detector = try store.detector(id: id), detector.accountId == caller.accountId, detector.region == caller.region else {
            throw APIError.badRequest("The request is rejected because the input detectorId is not owned by the current account.")
        }
        return detector
    }

    // MARK: Findings

    /// ListFindings. Criteria on the columns the store keeps (account, region, type, severity,
    /// archived, times, resource type, instance, access key) and a sort on one of them are answered
    /// by SQL, one page at a time; any other attribute is evaluated on the findings the SQL part
    /// selects.
    func listFindings(_ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        let criteria = try Self.criteria(body["findingCriteria"])
        let (selection, residual) = criteria.split(into: FindingSelection(accounts: try visibleAccounts(detector), region: detector.region))
        let maxResults = body["maxResults"].map { ($0 as? Int) ?? -1 }
        let nextToken = body["nextToken"] as? String
        var out: [String: Any] = [:]
        if residual.isEmpty, let (column, descending) = try Self.sortColumn(body["sortCriteria"]) {
            let size = maxResults ?? 50
            guard (1...50).contains(size) else { throw APIError.badRequest("maxResults must be between 1 and 50.") }
            var offset = 0
            if let nextToken, !nextToken.isEmpty {
                guard let n = Int(nextToken), n >= 0 else { throw APIError.badRequest("The nextToken is not valid.") }
                offset = n
            }
            let (ids, hasMore) = try store.findingIds(selection, orderBy: column, descending: descending, limit: size, offset: offset)
            out["findingIds"] = ids
            if hasMore { out["nextToken"] = String(offset + ids.count) }
            return .json(out)
        }
        var budget = QueryBudget(now: now())
        var matching: [(Finding, JSONTree)] = []
        for finding in try QueryBudget.candidates(selection, store: store, limit: candidateLimit) {
            try budget.check()
            let tree = JSONTree(finding: finding)
            if residual.matches(tree) { matching.append((finding, tree)) }
        }
        try Self.sort(&matching, body["sortCriteria"])
        let (page, next) = try Self.page(matching.map(\.0.id), maxResults: maxResults, nextToken: nextToken, limit: 50)
        out["findingIds"] = page
        if let next { out["nextToken"] = next }
        return .json(out)
    }

    /// The store column of a sort (`updatedAt`, newest first, by default); `nil` when the sort is on
    /// another attribute.
    static func sortColumn(_ criteria: Any?) throws -> (FindingSelection.Column, Bool)? {
        guard let criteria else { return (.updatedAt, true) }
        guard let c = criteria as? [String: Any] else { throw APIError.badRequest("sortCriteria must be an object.") }
        var descending = true
        if let order = c["orderBy"] as? String {
            guard order == "ASC" || order == "DESC" else { throw APIError.badRequest("orderBy must be ASC or DESC.") }
            descending = order == "DESC"
        }
        guard let name = c["attributeName"] as? String ?? Optional("updatedAt"), let column = FindingCriteria.columns[name],
              column != .archived else { return nil }
        return (column, descending)
    }

    func getFindings(_ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        guard let ids = body["findingIds"] as? [String] else { throw APIError.badRequest("The request is rejected because the required parameter 'findingIds' is missing.") }
        guard ids.count <= 50 else { throw APIError.badRequest("The request is rejected because findingIds holds more than 50 IDs.") }
        var found = try visibleAccounts(detector).flatMap { try store.findings(ids: ids, accountId: $0) }.filter { $0.region == detector.region }
            .map { ($0, JSONTree(finding: $0)) }
        if body["sortCriteria"] != nil {
            try Self.sort(&found, body["sortCriteria"])
        } else {
            let order = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            found.sort { (order[$0.0.id] ?? 0) < (order[$1.0.id] ?? 0) }
        }
        let findings = found.map(\.1.foundationValue)
        return .json(["findings": findings])
    }

    func archive(_ archived: Bool, _ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        guard let ids = body["findingIds"] as? [String] else { throw APIError.badRequest("The request is rejected because the required parameter 'findingIds' is missing.") }
        guard ids.count <= 50 else { throw APIError.badRequest("The request is rejected because findingIds holds more than 50 IDs.") }
        for account in try visibleAccounts(detector) { try store.setArchived(archived, ids: ids, accountId: account) }
        return .json([:])
    }

    /// GetFindingsStatistics: counted by SQL when the criteria are on stored columns, else over the
    /// findings that match.
    func statistics(_ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        let criteria = try Self.criteria(body["findingCriteria"])
        let (selection, residual) = criteria.split(into: FindingSelection(accounts: try visibleAccounts(detector), region: detector.region))
        var budget = QueryBudget(now: now())
        let findings = residual.isEmpty ? nil : try QueryBudget.candidates(selection, store: store, limit: candidateLimit).filter { finding in
            try budget.check()
            return residual.matches(JSONTree(finding: finding))
        }
        /// Groups as (key, count, last update), from SQL or from the matching findings.
        func groups(_ grouping: FindingSelection.Grouping) throws -> [(key: String, count: Int, last: String)] {
            guard let findings else { return try store.findingGroups(selection, by: grouping) }
            var buckets: [String: (count: Int, last: String)] = [:]
            for f in findings {
                let k = switch grouping {
                case .account: f.accountId
                case .type: f.type
                case .severity: String(f.severity)
                case .date: String(f.updatedAt.prefix(10))
                case .resource: f.resource.instanceDetails?.instanceId ?? f.resource.accessKeyDetails?.accessKeyId
                    ?? f.resource.s3BucketDetails?.first?.name ?? f.resource.resourceType ?? "unknown"
                }
                let previous = buckets[k] ?? (0, "")
                buckets[k] = (previous.count + 1, max(previous.last, f.updatedAt))
            }
            return buckets.map { ($0.key, $0.value.count, $0.value.last) }
        }
        var statistics: [String: Any] = [:]
        let types = body["findingStatisticTypes"] as? [String] ?? []
        if types.contains("COUNT_BY_SEVERITY") {
            statistics["countBySeverity"] = Dictionary(try groups(.severity).map { ($0.key, $0.count) }, uniquingKeysWith: +)
        }
        if let group = body["groupBy"] as? String {
            let limit = (body["maxResults"] as? Int) ?? 25
            guard (1...100).contains(limit) else { throw APIError.badRequest("maxResults must be between 1 and 100.") }
            let descending = (body["orderBy"] as? String ?? "DESC") != "ASC"
            func grouped(_ grouping: FindingSelection.Grouping, _ name: String) throws -> [[String: Any]] {
                let sorted = try groups(grouping).sorted { descending ? ($0.count, $1.key) > ($1.count, $0.key) : ($0.count, $0.key) < ($1.count, $1.key) }
                return sorted.prefix(limit).map { [name: $0.key, "totalFindings": $0.count, "lastGeneratedAt": $0.last] }
            }
            switch group {
            case "ACCOUNT": statistics["groupedByAccount"] = try grouped(.account, "accountId")
            case "FINDING_TYPE": statistics["groupedByFindingType"] = try grouped(.type, "findingType")
            case "SEVERITY": statistics["groupedBySeverity"] = try grouped(.severity, "severity").map { g in
                var g = g; g["severity"] = Double(g["severity"] as? String ?? "") ?? 0; return g }
            case "DATE": statistics["groupedByDate"] = try grouped(.date, "date")
            case "RESOURCE": statistics["groupedByResource"] = try grouped(.resource, "resource")
            default: throw APIError.badRequest("groupBy must be one of ACCOUNT, DATE, FINDING_TYPE, RESOURCE, SEVERITY.")
            }
        }
        if statistics.isEmpty && types.isEmpty && body["groupBy"] == nil {
            throw APIError.badRequest("The request is rejected because neither findingStatisticTypes nor groupBy is given.")
        }
        return .json(["findingStatistics": statistics])
    }

    func usageStatistics(_ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        guard let type = body["usageStatisticsType"] as? String else {
            throw APIError.badRequest("The request is rejected because usageStatisticsType is missing.")
        }
        guard let criteria = body["usageCriteria"] as? [String: Any] else {
            throw APIError.badRequest("The request is rejected because usageCriteria is missing.")
        }
        var records = try store.usage(accountId: detector.accountId)
        if let accounts = criteria["accountIds"] as? [String] { records = records.filter { accounts.contains($0.accountId) } }
        if let sources = criteria["dataSources"] as? [String] { records = records.filter { sources.contains($0.dataSource) } }
        func total(_ bytes: Int64) -> [String: String] { ["amount": String(bytes), "unit": "bytes"] }
        switch type {
        case "SUM_BY_DATA_SOURCE":
            let sums = Dictionary(grouping: records, by: \.dataSource).mapValues { $0.reduce(0) { $0 + $1.bytes } }
            return .json(["usageStatistics": ["sumByDataSource": sums.sorted { $0.key < $1.key }.map { ["dataSource": $0.key, "total": total($0.value)] }]])
        case "SUM_BY_ACCOUNT":
            let sums = Dictionary(grouping: records, by: \.accountId).mapValues { $0.reduce(0) { $0 + $1.bytes } }
            return .json(["usageStatistics": ["sumByAccount": sums.sorted { $0.key < $1.key }.map { ["accountId": $0.key, "total": total($0.value)] }]])
        case "SUM_BY_RESOURCE", "TOP_RESOURCES":
            var byResource = try store.usageByResource(accountId: detector.accountId)
            if let sources = criteria["dataSources"] as? [String] { byResource = byResource.filter { sources.contains($0.dataSource) } }
            if let resources = criteria["resources"] as? [String] { byResource = byResource.filter { resources.contains($0.resource) } }
            let sums = Dictionary(grouping: byResource, by: \.resource).mapValues { $0.reduce(0) { $0 + $1.bytes } }
            var sorted = sums.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            if type == "TOP_RESOURCES" { sorted = Array(sorted.prefix((body["maxResults"] as? Int) ?? 50)) }
            let key = type == "TOP_RESOURCES" ? "topResources" : "sumByResource"
            return .json(["usageStatistics": [key: sorted.map { ["resource": $0.key, "total": total($0.value)] }]])
        case "SUM_BY_FEATURES", "TOP_ACCOUNTS_BY_FEATURE":
            throw APIError.badRequest("Vigil has no GuardDuty features (protection plans) to report usage for; use SUM_BY_DATA_SOURCE, SUM_BY_ACCOUNT or SUM_BY_RESOURCE.")
        default:
            throw APIError.badRequest("The request is rejected because usageStatisticsType '\(type)' is not valid.")
        }
    }

    /// TagResource, UntagResource, ListTagsForResource on the caller's detectors and filters.
    func tags(_ method: String, arn: String, caller: SigV4Verifier.Caller, body: [String: Any], keys: [String]) throws -> APIResponse {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "guardduty", parts[3] == caller.region, parts[4] == caller.accountId else {
            throw APIError.badRequest("The request is rejected because the resource ARN is not a GuardDuty resource of the current account.")
        }
        let path = parts[5].split(separator: "/").map(String.init)
        guard path.count >= 2, path[0] == "detector" else { throw APIError.badRequest("The request is rejected because the resource ARN is not valid.") }
        let detector = try ownedDetector(path[1], caller)
        if path.count == 4, path[2] == "filter" {
            guard try store.filter(detectorId: detector.id, name: path[3]) != nil else { throw Self.noFilter(path[3]) }
        } else if path.count == 4, IntelSetKind(rawValue: path[2]) != nil {
            guard try store.intelSet(id: path[3])?.detectorId == detector.id else {
                throw APIError.badRequest("The request is rejected because the resource ARN is not valid.")
            }
        } else if path.count != 2 {
            throw APIError.badRequest("The request is rejected because the resource ARN is not valid.")
        }
        var current = try store.tags(resourceArn: arn)
        switch method {
        case "GET":
            return .json(["tags": current])
        case "POST":
            let add = try Self.tags(body["tags"])
            guard !add.isEmpty else { throw APIError.badRequest("The request is rejected because tags is missing or empty.") }
            current.merge(add) { _, new in new }
            try store.setTags(current, resourceArn: arn)
            return APIResponse(status: 204, headers: [:], body: [])
        case "DELETE":
            guard !keys.isEmpty else { throw APIError.badRequest("The request is rejected because tagKeys is missing.") }
            for key in keys { current[key] = nil }
            try store.setTags(current, resourceArn: arn)
            return APIResponse(status: 204, headers: [:], body: [])
        default:
            throw APIError(status: 404, type: "UnknownOperationException", message: "No GuardDuty operation at \(method) /tags.")
        }
    }

    // MARK: Feedback and samples

    func feedback(_ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        guard let ids = body["findingIds"] as? [String], !ids.isEmpty, ids.count <= 50 else {
            throw APIError.badRequest("The request is rejected because findingIds must hold 1 to 50 finding IDs.")
        }
        guard let feedback = body["feedback"] as? String, feedback == "USEFUL" || feedback == "NOT_USEFUL" else {
            throw APIError.badRequest("The request is rejected because feedback must be USEFUL or NOT_USEFUL.")
        }
        // The detector's own findings and, for an administrator, its enabled members' (as archiving does).
        for account in try visibleAccounts(detector) { try store.setFeedback(feedback, ids: ids, accountId: account) }
        return .json([:])
    }

    func createSamples(_ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        var types = FindingCatalogue.all.map(\.type)
        if let requested = body["findingTypes"] {
            guard let list = requested as? [String] else { throw APIError.badRequest("findingTypes must be a list of finding types.") }
            let known = list.compactMap(FindingType.init(named:))
            if let unknown = list.first(where: { FindingType(named: $0) == nil }) {
                throw APIError.badRequest("The request is rejected because '\(unknown)' is not a finding type.")
            }
            if !known.isEmpty { types = known }
        }
        let samples = SampleFindings.make(types: types, accountId: detector.accountId, region: detector.region, detectorId: detector.id, now: now())
        try store.merge(samples)
        try Suppression.apply(to: samples, store: store)
        return .json([:])
    }

    // MARK: Filters

    func saveFilter(_ detector: DetectorRecord, name existing: String?, _ body: [String: Any]) throws -> APIResponse {
        let name: String
        var record: FilterRecord
        if let existing {
            guard let stored = try store.filter(detectorId: detector.id, name: existing) else { throw Self.noFilter(existing) }
            name = existing
            record = stored
        } else {
            // moto (and so `--test-mode`) also takes spaces.
            guard let given = body["name"] as? String, (3...64).contains(given.count),
                  given.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) || (testMode && $0 == " ") }) else {
                throw APIError.badRequest("The request is rejected because the filter name must be 3 to 64 letters, digits, '-', '_' or '.'.")
            }
            guard try store.filters(detectorId: detector.id).count < 100 else {
                throw APIError.badRequest("The request is rejected because the detector already has 100 filters, the most it may have.")
            }
            if try store.filter(detectorId: detector.id, name: given) != nil {
                throw APIError.badRequest("The request is rejected because a filter named \(given) already exists.")
            }
            guard body["findingCriteria"] != nil else { throw APIError.badRequest("The request is rejected because findingCriteria is missing.") }
            name = given
            record = FilterRecord(detectorId: detector.id, name: given, description: nil, action: "NOOP", rank: 1, criteria: "{}")
        }
        if let criteria = body["findingCriteria"] {
            _ = try Self.criteria(criteria)  // validates
            record.criteria = String(decoding: try JSONSerialization.data(withJSONObject: criteria, options: [.sortedKeys]), as: UTF8.self)
        }
        if let action = body["action"] {
            guard let a = action as? String, a == "NOOP" || a == "ARCHIVE" else { throw APIError.badRequest("action must be NOOP or ARCHIVE.") }
            record.action = a
        }
        if let rank = body["rank"] {
            guard let r = rank as? Int, (1...100).contains(r) else { throw APIError.badRequest("rank must be between 1 and 100.") }
            record.rank = r
        }
        if let description = body["description"] {
            guard let d = description as? String, d.count <= 512 else { throw APIError.badRequest("description must be a string of at most 512 characters.") }
            record.description = d
        }
        try store.saveFilter(record)
        if existing == nil, case let tags = try Self.tags(body["tags"]), !tags.isEmpty {
            try store.setTags(tags, resourceArn: Self.arn(detector.accountId, detector.region, "detector/\(detector.id)/filter/\(name)"))
        }
        return .json(["name": name])
    }

    func deleteFilter(_ detector: DetectorRecord, name: String) throws -> APIResponse {
        guard try store.filter(detectorId: detector.id, name: name) != nil else { throw Self.noFilter(name) }
        try store.deleteFilter(detectorId: detector.id, name: name)
        return .json([:])
    }

    func getFilter(_ detector: DetectorRecord, name: String) throws -> APIResponse {
        guard let f = try store.filter(detectorId: detector.id, name: name) else { throw Self.noFilter(name) }
        let tags = try store.tags(resourceArn: Self.arn(detector.accountId, detector.region, "detector/\(detector.id)/filter/\(name)"))
        var out: [String: Any] = ["name": f.name, "action": f.action, "rank": f.rank, "tags": tags,
                                  "findingCriteria": JSONTree(text: f.criteria)?.foundationValue ?? [String: Any]()]
        if let d = f.description { out["description"] = d }
        return .json(out)
    }

    func listFilters(_ detector: DetectorRecord, query: [String: String]) throws -> APIResponse {
        let names = try store.filters(detectorId: detector.id).map(\.name)
        let (page, next) = try Self.page(names, maxResults: query["maxResults"].map { Int($0) ?? -1 }, nextToken: query["nextToken"], limit: 50)
        var out: [String: Any] = ["filterNames": page]
        if let next { out["nextToken"] = next }
        return .json(out)
    }

    /// The current time as the API writes times (ISO-8601, milliseconds).
    func stamp() -> String {
        Timestamp(millisecondsSinceEpoch: Int64(now().timeIntervalSince1970 * 1000)).iso8601
    }

    static func arn(_ account: String, _ region: String, _ resource: String) -> String {
        "arn:aws:guardduty:\(region):\(account):\(resource)"
    }

    static func noFilter(_ name: String) -> APIError {
        APIError.badRequest("The request is rejected because the filter \(name) does not exist.")
    }

    /// The findings a detector sees: its account's and its enabled members', in its region.
    func visibleFindings(_ detector: DetectorRecord) throws -> [Finding] {
        try visibleAccounts(detector).flatMap { try store.findings(accountId: $0, region: detector.region) }
    }

    // MARK: Helpers

    /// The query string's parameters, percent-decoded; a parameter given several times keeps every value.
    static func queryParameters(_ text: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).removingPercentEncoding ?? String($0) }
            out[kv[0], default: []].append(kv.count > 1 ? kv[1] : "")
        }
        return out
    }

    static func frequency(_ value: Any?) throws -> String? {
        guard let value else { return nil }
        guard let text = value as? String, ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"].contains(text) else {
            throw APIError.badRequest("findingPublishingFrequency must be FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS.")
        }
        return text
    }

    static func tags(_ value: Any?) throws -> [String: String] {
        guard let value else { return [:] }
        guard let tags = value as? [String: String] else { throw APIError.badRequest("tags must map strings to strings.") }
        return tags
    }

    /// A request's `findingCriteria`; malformed criteria are a `BadRequestException`.
    static func criteria(_ json: Any?) throws(APIError) -> FindingCriteria {
        do { return try FindingCriteria(json: json) } catch { throw .badRequest(error.message) }
    }

    /// Sorts by `sortCriteria` (`attributeName`, `orderBy`): numbers and times numerically, text
    /// lexically; by last update, newest first, when absent.
    static func sort(_ items: inout [(Finding, JSONTree)], _ criteria: Any?) throws {
        var path = ["updatedAt"], descending = true
        if let criteria {
            guard let c = criteria as? [String: Any] else { throw APIError.badRequest("sortCriteria must be an object.") }
            if let name = c["attributeName"] as? String { path = name.split(separator: ".").map(String.init) }
            if let order = c["orderBy"] as? String {
                guard order == "ASC" || order == "DESC" else { throw APIError.badRequest("orderBy must be ASC or DESC.") }
                descending = order == "DESC"
            }
        }
        func key(_ tree: JSONTree) -> (Double?, String) {
            let value = FindingCriteria.values(at: path, in: tree).first
            return (value.flatMap(FindingCriteria.number), value.map(FindingCriteria.text) ?? "")
        }
        items.sort { a, b in
            let (x, y) = (key(a.1), key(b.1))
            let ascending: Bool
            if let xn = x.0, let yn = y.0, xn != yn { ascending = xn < yn }
            else if x.1 != y.1 { ascending = x.1 < y.1 }
            else { return a.0.id < b.0.id }
            return descending ? !ascending : ascending
        }
    }

    /// One page of `ids`: `nextToken` is the offset of the next page.
    static func page(_ ids: [String], maxResults: Int?, nextToken: String?, limit: Int) throws -> ([String], String?) {
        let size = maxResults ?? limit
        guard (1...limit).contains(size) else { throw APIError.badRequest("maxResults must be between 1 and \(limit).") }
        var start = 0
        if let nextToken, !nextToken.isEmpty {
            guard let offset = Int(nextToken), offset >= 0, offset <= ids.count else { throw APIError.badRequest("The nextToken is not valid.") }
            start = offset
        }
        let end = min(ids.count, start + size)
        return (Array(ids[start..<end]), end < ids.count ? String(end) : nil)
    }
}
