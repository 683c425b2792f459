import Foundation
import VigilModel
import VigilStore

/// Coverage as it means for Vigil (ListCoverage, GetCoverageStatistics): for the detector's account
/// and its enabled members, each log source analysed so far — a region's CloudTrail, a flow log, a
/// VPC's Resolver logs — `HEALTHY` while its logs keep arriving, `UNHEALTHY` once none has been
/// analysed for ``staleAfter`` (with the time of the last), and each data source no log of which
/// was ever analysed for the account `UNHEALTHY` with that as the issue. The resource type is the
/// data source (`CLOUD_TRAIL`, `FLOW_LOGS`, `DNS_LOGS`): GuardDuty's EKS, ECS and EC2 agents have
/// no counterpart here.
extension GuardDutyAPI {
    /// How long a log source may be silent before it is unhealthy (CloudTrail delivers every 5
    /// minutes, flow logs every 10: six hours of nothing is a broken pipe, not a quiet night).
    static let staleAfter: TimeInterval = 6 * 3600

    struct CoverageEntry {
        var resourceId: String
        var accountId: String
        var detectorId: String
        var resourceType: String
        var healthy: Bool
        var issue: String?
        var updatedAt: Double?
    }

    func coverage(_ detector: DetectorRecord) throws -> [CoverageEntry] {
        let members = try store.memberships(administrator: detector.accountId).filter { $0.status == .enabled }.map(\.member)
        let now = self.now().timeIntervalSince1970
        var entries: [CoverageEntry] = []
        for account in [detector.accountId] + members.sorted() {
            let rows = try store.usageByResource(accountId: account)
            let detectorId = StableIdentifier.detector(accountId: account, region: detector.region)
            for row in rows {
                let last = row.lastAnalysedAt
                let healthy = last.map { now - $0 <= Self.staleAfter } ?? false
                let since = last.map { Timestamp(millisecondsSinceEpoch: Int64($0 * 1000)).iso8601 } ?? "Vigil began recording it"
                entries.append(CoverageEntry(resourceId: "\(row.dataSource)/\(row.resource)", accountId: account, detectorId: detectorId,
                                             resourceType: row.dataSource, healthy: healthy,
                                             issue: healthy ? nil : "No \(row.dataSource) logs from \(row.resource) analysed since \(since).",
                                             updatedAt: last))
            }
            for source in DataSource.allCases where !rows.contains(where: { $0.dataSource == source.usageName }) {
                entries.append(CoverageEntry(resourceId: source.usageName, accountId: account, detectorId: detectorId, resourceType: source.usageName,
                                             healthy: false, issue: "No \(source.usageName) logs of this account have been analysed.", updatedAt: nil))
            }
        }
        return entries
    }

    /// The entries `criteria` keeps: ACCOUNT_ID, RESOURCE_TYPE and COVERAGE_STATUS compare; the
    /// agents' keys (cluster names, versions, instances) name nothing Vigil has, so `equals` on them
    /// keeps nothing and `notEquals` everything.
    static func filtered(_ entries: [CoverageEntry], _ criteria: [String: Any]?) -> [CoverageEntry] {
        let list = criteria?["filterCriterion"] as? [[String: Any]] ?? []
        return entries.filter { entry in
            list.allSatisfy { criterion in
                let condition = criterion["filterCondition"] as? [String: Any] ?? [:]
                let value: String? = switch criterion["criterionKey"] as? String {
                case "ACCOUNT_ID": entry.accountId
                case "RESOURCE_TYPE": entry.resourceType
                case "COVERAGE_STATUS": entry.healthy ? "HEALTHY" : "UNHEALTHY"
                default: nil
                }
                if let equals = condition["equals"] as? [String], !(value.map(equals.contains) ?? false) { return false }
                if let notEquals = condition["notEquals"] as? [String], let value, notEquals.contains(value) { return false }
                return true
            }
        }
    }

    func listCoverage(_ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        var entries = Self.filtered(try coverage(detector), body["filterCriteria"] as? [String: Any])
        if let sort = body["sortCriteria"] as? [String: Any] {
            let descending = sort["orderBy"] as? String == "DESC"
            func key(_ e: CoverageEntry) -> String {
                switch sort["attributeName"] as? String {
                case "ACCOUNT_ID": e.accountId
                case "COVERAGE_STATUS": e.healthy ? "HEALTHY" : "UNHEALTHY"
                case "ISSUE": e.issue ?? ""
                case "UPDATED_AT": String(format: "%020.3f", e.updatedAt ?? 0)
                default: e.resourceId
                }
            }
            entries.sort { a, b in
                let (x, y) = (key(a), key(b))
                return x == y ? a.resourceId < b.resourceId : (descending ? x > y : x < y)
            }
        }
        let indices = entries.indices.map(String.init)
        let (page, next) = try Self.page(indices, maxResults: body["maxResults"] as? Int, nextToken: body["nextToken"] as? String, limit: 50)
        var resources: [[String: Any]] = []
        for index in page.compactMap(Int.init) {
            let e = entries[index]
            var resource: [String: Any] = [
                "resourceId": e.resourceId, "detectorId": e.detectorId, "accountId": e.accountId,
                "coverageStatus": e.healthy ? "HEALTHY" : "UNHEALTHY", "resourceDetails": ["resourceType": e.resourceType],
            ]
            if let issue = e.issue { resource["issue"] = issue }
            if let updated = e.updatedAt { resource["updatedAt"] = updated }
            resources.append(resource)
        }
        var out: [String: Any] = ["resources": resources]
        if let next { out["nextToken"] = next }
        return .json(out)
    }

    func coverageStatistics(_ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        let entries = Self.filtered(try coverage(detector), body["filterCriteria"] as? [String: Any])
        let types = body["statisticsType"] as? [String] ?? []
        var statistics: [String: Any] = [:]
        if types.contains("COUNT_BY_COVERAGE_STATUS") {
            statistics["countByCoverageStatus"] = Dictionary(grouping: entries) { $0.healthy ? "HEALTHY" : "UNHEALTHY" }.mapValues(\.count)
        }
        if types.contains("COUNT_BY_RESOURCE_TYPE") {
            statistics["countByResourceType"] = Dictionary(grouping: entries, by: \.resourceType).mapValues(\.count)
        }
        return .json(["coverageStatistics": statistics])
    }

    /// GetMemberDetectors and UpdateMemberDetectors: an administrator reads and sets its enabled
    /// members' detectors' data sources and features (kept and shown, as its own are).
    func memberDetectors(_ detector: DetectorRecord, _ body: [String: Any], update: Bool) throws -> APIResponse {
        let accounts = body["accountIds"] as? [String] ?? []
        let enabled = Set(try store.memberships(administrator: detector.accountId).filter { $0.status == .enabled }.map(\.member))
        var configurations: [[String: Any]] = []
        var unprocessed: [[String: String]] = []
        for account in accounts {
            guard enabled.contains(account),
                  var member = try store.detectors(accountId: account, region: detector.region).first(where: {
                      $0.id == StableIdentifier.detector(accountId: account, region: detector.region)
                  }) else {
                unprocessed.append(["accountId": account, "result": "The account is not an enabled member of this administrator with a detector in \(detector.region)."])
                continue
            }
            if update {
                member.settings = DetectorSettings(text: member.settings).updated(with: body).text
                member.updatedAt = stamp()
                try store.updateDetector(member)
                continue
            }
            let settings = DetectorSettings(text: member.settings)
            let enabledSource = ["status": "ENABLED"]
            var dataSources: [String: Any] = ["cloudTrail": enabledSource, "dnsLogs": enabledSource, "flowLogs": enabledSource,
                                              "s3Logs": ["status": "DISABLED"]]
            dataSources.merge(settings.dataSources) { _, set in set }
            var configuration: [String: Any] = ["accountId": account, "dataSources": dataSources]
            if !settings.features.isEmpty { configuration["features"] = settings.features }
            configurations.append(configuration)
        }
        return .json(update ? ["unprocessedAccounts": unprocessed] : ["members": configurations, "unprocessedAccounts": unprocessed])
    }
}
