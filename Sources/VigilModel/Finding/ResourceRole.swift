/// The part a finding's resource played (`service.resourceRole`): the actor of the activity (an
/// instance scanning, a key calling) or its target (an instance brute-forced, a bucket opened).
public struct ResourceRole: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let actor = ResourceRole(rawValue: "ACTOR")
    public static let target = ResourceRole(rawValue: "TARGET")

    public var description: String { rawValue }
}
