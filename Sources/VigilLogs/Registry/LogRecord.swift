import VigilModel

/// A record of one log source, as readers hand it on (``LogRecordHandler``).
///
/// Everything that passes records along without reading them — partitioning by account, cluster
/// handovers, test recorders — works on this protocol alone, so a new source needs no code there.
/// The account and region rule is the same for every source: the record's own field when it holds
/// an account ID (twelve digits), else the account of the file's S3 key, else
/// ``AccountID/unknown``; the record's region, else the S3 key's.
public protocol LogRecord {
    /// What usage statistics and findings call this source's records.
    static var dataSource: DataSource { get }
    /// Where the record is in its file.
    var location: RecordLocation { get }
    /// The account the record belongs to (whose detector state it feeds).
    func account(in source: LogSource) -> AccountID
    /// The region the record belongs to.
    func region(in source: LogSource) -> String
}

extension LogRecord {
    /// Runs `body` on `record` seen as `Known` when `Record` is `Known`; otherwise `nil`.
    ///
    /// How a consumer that treats each source its own way (the engine's route tables) takes a
    /// record handed on generically: one comparison of type metadata, no copy, no allocation.
    @inlinable @inline(__always)
    public static func ifIs<Known: LogRecord, Result>(
        _ record: inout Self, _ known: Known.Type, _ body: (inout Known) -> Result
    ) -> Result? {
        guard Self.self == Known.self else { return nil }
        return withUnsafeMutablePointer(to: &record) { pointer in
            pointer.withMemoryRebound(to: Known.self, capacity: 1) { body(&$0.pointee) }
        }
    }
}
