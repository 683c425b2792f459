import Foundation
import VigilLogs
import VigilModel
import VigilStore

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
    /// Records handed over from another cluster node (``Handover``): only the records of this
    /// shard's accounts are analysed.
    public var shard: Int?

    public init(path: String, bytes: [UInt8]? = nil, kind: LogKind? = nil, partitionable: Bool = true) {
        self.path = path
        self.bytes = bytes
        self.kind = kind
        self.partitionable = partitionable
    }

    /// An input handed over by another node, read as its bytes' kind.
    public init(_ handover: Handover) {
        self.init(path: handover.path, bytes: handover.bytes, kind: handover.kind.flatMap(LogKind.init(storedName:)), partitionable: false)
        shard = handover.shard
    }

    /// The account of the S3 prefix the input lies under, when all its records are known to
    /// belong to it (``partitionable``).
    var prefixAccount: AccountID? {
        guard partitionable, shard == nil else { return nil }
        return S3LogPath(path: path)?.account
    }

    /// The records handed to `shard`'s holder: the bytes as read (a file's whole content when
    /// they were not in memory), with the kind they were read as.
    func handover(to shard: Int) -> Handover? {
        guard let content = bytes ?? FileManager.default.contents(atPath: path).map(Array.init) else { return nil }
        return Handover(shard: shard, path: path, kind: kind?.storedName, bytes: content)
    }
}
