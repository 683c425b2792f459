import VigilLogs
import VigilModel

/// One thing to read: a file, or bytes already in memory (a piece of a growing file, an ingested
/// body), named `path` in reports.
public struct LogInput: Sendable {
    public var path: String
    /// The bytes to read instead of the file at `path`.
    public var bytes: [UInt8]?
    /// Read as this kind whatever the bytes look like (a piece of a file whose beginning showed it).
    public var kind: LogKind?
    /// Whether every record is known to belong to the account of the S3 prefix `path` lies under
    /// (`AWSLogs/<account>/…`, as the services write their logs): such an input is read by that
    /// account's partition alongside other partitions; any other input is read with every
    /// partition paused (its records may belong to any account).
    public var partitionable: Bool

    public init(path: String, bytes: [UInt8]? = nil, kind: LogKind? = nil, partitionable: Bool = true) {
        self.path = path
        self.bytes = bytes
        self.kind = kind
        self.partitionable = partitionable
    }

    /// The account whose partition reads this input, or `nil` when every partition must pause for it.
    var account: AccountID? {
        guard partitionable, let layout = S3LogPath(path: path) else { return nil }
        return AccountID(layout.accountId)
    }
}
