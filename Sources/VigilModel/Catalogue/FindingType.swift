/// A finding type, GuardDuty's `ThreatPurpose:ResourceTypeAffected/ThreatFamilyName.DetectionMechanism!Artifact`.
///
/// An open set of typed constants (as swift-nio's `IPProtocol`): every foundational type is a
/// constant of this type (`FindingType.reconEC2Portscan`), so a mistyped type does not compile,
/// and a detector declares the types it raises (the engine refuses any other). Types outside
/// GuardDuty's catalogue — those of custom rules — are made with ``custom(_:)``.
public struct FindingType: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The full name (`Recon:EC2/Portscan`), as findings carry it.
    public let name: String

    init(_ name: String) { self.name = name }

    /// The catalogued type of that name, or `nil` (for names read from requests and files).
    public init?(named name: String) {
        guard let info = FindingCatalogue.info(name) else { return nil }
        self = info.type
    }

    /// A type outside GuardDuty's catalogue (a custom rule's). It has no catalogue entry, so its
    /// findings carry the severity their detector gives.
    public static func custom(_ name: String) -> FindingType { FindingType(name) }

    /// GuardDuty's entry for the type, if it is catalogued.
    public var info: FindingTypeInfo? { FindingCatalogue.info(name) }

    /// The part before the colon: `Recon`, `UnauthorizedAccess`, `Stealth`, …
    public var threatPurpose: Substring { name.prefix { $0 != ":" } }

    public var description: String { name }

    public static func < (a: FindingType, b: FindingType) -> Bool { a.name < b.name }
}
