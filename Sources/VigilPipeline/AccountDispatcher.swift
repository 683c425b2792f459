import VigilDetection
import VigilLogs
import VigilModel

/// Hands each record to the router of the partition its account belongs to: how an input whose
/// records may belong to any account (a loose file, an ingested body) is read while every
/// partition is paused, so each account's records still reach only its own partition's analysis,
/// in order.
final class AccountDispatcher: LogRecordHandler {
    let routers: [AccountRouter]

    init(routers: [AccountRouter]) { self.routers = routers }

    @inline(__always)
    func router(_ account: AccountID) -> AccountRouter {
        routers.count == 1 ? routers[0] : routers[Partitioning.partition(of: account, among: routers.count)]
    }

    func handle(cloudTrail event: CloudTrailEvent, source: LogSource) {
        router(event.account(in: source)).handle(cloudTrail: event, source: source)
    }

    func handle(flow record: inout FlowRecord, source: LogSource) {
        router(record.account(in: source)).handle(flow: &record, source: source)
    }

    func handle(resolver query: ResolverQuery, source: LogSource) {
        router(query.account(in: source)).handle(resolver: query, source: source)
    }
}

/// Which partition an account's records go to: fixed by the account alone, so every run with the
/// same number of partitions splits accounts alike.
enum Partitioning {
    static func partition(of account: AccountID, among count: Int) -> Int {
        Int(ByteHash.mix(ByteHash.fnv1a(account.description)) % UInt64(count))
    }
}
