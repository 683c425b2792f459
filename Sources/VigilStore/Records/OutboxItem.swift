import Foundation
import VigilModel

/// An event waiting to be delivered to one target.
public struct OutboxItem: Sendable, Equatable {
    public var id: Int64
    public var target: String
    public var body: String
    public var attempts: Int

    public init(id: Int64, target: String, body: String, attempts: Int) {
        self.id = id
        self.target = target
        self.body = body
        self.attempts = attempts
    }
}

extension OutboxItem {
    /// The kind of target (`webhook`, `file`, `export`): the part of ``target`` before its colon.
    public var targetKind: String { String(target.prefix { $0 != ":" }) }
}
