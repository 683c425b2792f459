import Foundation
import VigilModel

/// A file (or an S3 object) whose records have been analysed: its path (`s3://bucket/key` for an
/// object), size and modification time then, and for an object its entity tag — a new version of
/// an object under the same key has a new tag, and is read again.
public struct AnalysedFile: Sendable, Equatable {
    public var path: String
    public var size: Int64
    public var modified: Double
    /// An S3 object's ETag; `nil` for a local file.
    public var tag: String?
    public init(path: String, size: Int64, modified: Double, tag: String? = nil) {
        self.path = path
        self.size = size
        self.modified = modified
        self.tag = tag
    }
}
