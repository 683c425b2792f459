/// Whether a publishing destination receives findings (`PublishingStatus` in GuardDuty's model).
public struct PublishingStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let pendingVerification = PublishingStatus(rawValue: "PENDING_VERIFICATION")
    public static let publishing = PublishingStatus(rawValue: "PUBLISHING")
    public static let unableToPublish = PublishingStatus(rawValue: "UNABLE_TO_PUBLISH_FIX_DESTINATION_PROPERTY")
    public static let stopped = PublishingStatus(rawValue: "STOPPED")

    public var description: String { rawValue }
}
