/// Whether a detector analyses its account's logs (`DetectorStatus` in GuardDuty's model).
public struct DetectorStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let enabled = DetectorStatus(rawValue: "ENABLED")
    public static let disabled = DetectorStatus(rawValue: "DISABLED")

    public var description: String { rawValue }
}
