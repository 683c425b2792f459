import Foundation
import VigilModel

/// A saved filter; with action `ARCHIVE` it is a suppression rule: findings it matches are
/// archived as they arrive.
public struct FilterRecord: Sendable, Equatable {
    public var detectorId: String
    public var name: String
    public var description: String?
    /// `NOOP` or `ARCHIVE`.
    public var action: String
    public var rank: Int
    /// The `findingCriteria` object as JSON text.
    public var criteria: String
    public init(detectorId: String, name: String, description: String?, action: String, rank: Int, criteria: String) {
        self.detectorId = detectorId
        self.name = name
        self.description = description
        self.action = action
        self.rank = rank
        self.criteria = criteria
    }
}
