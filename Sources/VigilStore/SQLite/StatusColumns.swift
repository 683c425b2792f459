import GRDB
import VigilModel

// The typed statuses are stored as their raw text.
extension DetectorStatus: DatabaseValueConvertible {}
extension ListStatus: DatabaseValueConvertible {}
extension RelationshipStatus: DatabaseValueConvertible {}
extension PublishingStatus: DatabaseValueConvertible {}
