import Foundation
import VigilModel

/// A file whose records have been analysed: its path, size and modification time then.
public struct AnalysedFile: Sendable, Equatable {
    public var path: String
    public var size: Int64
    public var modified: Double
    public init(path: String, size: Int64, modified: Double) {
        self.path = path
        self.size = size
        self.modified = modified
    }
}
