import Foundation

/// Records read by a node that does not hold their shard, handed to the shard's holder through the
/// store: the bytes as they were read (a whole file, a piece of a growing one with its header, an
/// ingested body), which the holder reads again analysing only the shard's accounts. Written in
/// the reading node's commit and deleted in the holder's, so the records are analysed once.
public struct Handover: Sendable, Equatable {
    /// Given by the store when written (0 before).
    public var id: Int64
    public var shard: Int
    /// The input's name, as in reports (`AWSLogs/<account>/…` paths keep their meaning).
    public var path: String
    /// What the bytes are when the reader knew it (``LogInput``'s kind by name), else `nil`: recognised from the bytes.
    public var kind: String?
    public var bytes: [UInt8]

    public init(id: Int64 = 0, shard: Int, path: String, kind: String?, bytes: [UInt8]) {
        self.id = id
        self.shard = shard
        self.path = path
        self.kind = kind
        self.bytes = bytes
    }
}
