/// An administrator–member relationship's state (`RelationshipStatus` in GuardDuty's answers):
/// created, invited, enabled (the administrator sees the member's findings), removed by the
/// administrator, or resigned by the member.
public struct RelationshipStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let created = RelationshipStatus(rawValue: "Created")
    public static let invited = RelationshipStatus(rawValue: "Invited")
    public static let enabled = RelationshipStatus(rawValue: "Enabled")
    public static let disabled = RelationshipStatus(rawValue: "Disabled")
    public static let removed = RelationshipStatus(rawValue: "Removed")
    public static let resigned = RelationshipStatus(rawValue: "Resigned")

    public var description: String { rawValue }
}
