/// Tags of detectors, filters and lists, by ARN.
public protocol TagStore: Sendable {
    func tags(resourceArn: String) throws -> [String: String]
    func setTags(_ tags: [String: String], resourceArn: String) throws
}
