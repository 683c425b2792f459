import Foundation
import VigilModel

/// A threat or trusted list registered through the API: where it is (`location`), its format,
/// and whether it is in use.
public struct IntelSetRecord: Sendable, Equatable {
    /// `ipset`, `threatintelset`, `threatentityset` or `trustedentityset` (the API path segment).
    public var kind: String
    public var id: String
    public var detectorId: String
    public var name: String
    public var format: String
    public var location: String
    /// `ACTIVE`, `INACTIVE` or `ERROR`.
    public var status: ListStatus
    public var errorDetails: String?
    public var createdAt: String
    public var updatedAt: String
    public init(kind: String, id: String, detectorId: String, name: String, format: String, location: String, status: ListStatus,
                errorDetails: String?, createdAt: String, updatedAt: String) {
        self.kind = kind
        self.id = id
        self.detectorId = detectorId
        self.name = name
        self.format = format
        self.location = location
        self.status = status
        self.errorDetails = errorDetails
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
