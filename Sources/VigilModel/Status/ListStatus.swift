/// Where an IPSet, ThreatIntelSet or entity set stands (`IpSetStatus`, `ThreatIntelSetStatus`,
/// `ThreatEntitySetStatus` in GuardDuty's model): its list is read off the request path
/// (`ACTIVATING`), then in use (`ACTIVE`), or could not be read (`ERROR`, with the reason).
public struct ListStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let inactive = ListStatus(rawValue: "INACTIVE")
    public static let activating = ListStatus(rawValue: "ACTIVATING")
    public static let active = ListStatus(rawValue: "ACTIVE")
    public static let deactivating = ListStatus(rawValue: "DEACTIVATING")
    public static let error = ListStatus(rawValue: "ERROR")
    public static let deletePending = ListStatus(rawValue: "DELETE_PENDING")
    public static let deleted = ListStatus(rawValue: "DELETED")

    public var description: String { rawValue }
}
