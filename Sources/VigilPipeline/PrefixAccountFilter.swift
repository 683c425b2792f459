import VigilDetection
import VigilLogs
import VigilModel

/// Reads an input under one account's S3 prefix on that account's partition: passes on the
/// records of that account and counts the others (a shared VPC's flow logs name each interface's
/// owner; a trail may carry another account's events), which are analysed afterwards by
/// ``StrayRecordDispatcher`` on their own accounts' partitions. One account's state thus never
/// splits between partitions, and the findings are the same whatever the number of workers.
final class PrefixAccountFilter: LogRecordHandler {
    let account: AccountID
    let router: AccountRouter
    /// Records of other accounts seen (and not passed on).
    private(set) var strays: UInt64 = 0

    init(account: AccountID, router: AccountRouter) {
        self.account = account
        self.router = router
    }

    func handle<Record: LogRecord>(_ record: inout Record, source: LogSource) {
        guard record.account(in: source) == account else { strays += 1; return }
        router.handle(&record, source: source, account: account)
    }
}

/// The second reading of an input whose ``PrefixAccountFilter`` saw other accounts' records, with
/// every partition paused: those records, each to its own account's partition; the prefix
/// account's, already analysed, are passed over.
final class StrayRecordDispatcher: LogRecordHandler {
    let excluded: AccountID
    let dispatcher: AccountDispatcher

    init(excluding account: AccountID, dispatcher: AccountDispatcher) {
        excluded = account
        self.dispatcher = dispatcher
    }

    func handle<Record: LogRecord>(_ record: inout Record, source: LogSource) {
        guard record.account(in: source) != excluded else { return }
        dispatcher.handle(&record, source: source)
    }
}
