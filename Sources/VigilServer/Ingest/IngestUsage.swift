import VigilLogs
import VigilModel
import VigilPipeline
import VigilStore

/// What a round of watched inputs adds to the usage statistics (GetUsageStatistics): each input's
/// share of the readers' counts, credited to the account of its S3 path (`unknown` for loose
/// files) and its log source (a flow log's ID, a trail's region, a VPC), per data source.
enum IngestUsage {
    static func records(inputs: [LogInput], added: [ReadStatistics]) -> [UsageRecord] {
        var usage: [String: UsageRecord] = [:]
        for (input, statistics) in zip(inputs, added) {
            let account = S3LogPath(path: input.path)?.accountId ?? "unknown"
            let resource = WatchedFile.logSource(input.path)
            for source in DataSource.allCases {
                let volume = statistics[source]
                guard volume.records > 0 || volume.bytes > 0 else { continue }
                let key = "\(account)/\(source.usageName)/\(resource)"
                var u = usage[key] ?? UsageRecord(accountId: account, dataSource: source.usageName, resource: resource, records: 0, bytes: 0)
                u.records += Int64(volume.records)
                u.bytes += Int64(volume.bytes)
                usage[key] = u
            }
        }
        return usage.values.sorted { ($0.accountId, $0.dataSource, $0.resource) < ($1.accountId, $1.dataSource, $1.resource) }
    }
}
