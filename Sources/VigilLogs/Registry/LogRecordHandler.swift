/// Where a ``LogReader`` hands the records it reads, one at a time, in file order.
///
/// One generic requirement for every source: a handler that only passes records on (to the
/// partition of their account, to a cluster handover) is written once. `record` is `inout` so a
/// handler can note what it learned on the record (the flow engine's direction) without a copy;
/// it stays valid only for the call (its text fields view the reader's buffer).
public protocol LogRecordHandler: AnyObject {
    func handle<Record: LogRecord>(_ record: inout Record, source: LogSource)
}
