import VigilModel

/// CloudTrail management events: `{"Records":[…]}` documents as trails deliver them, or one event
/// a line (CloudTrail Lake exports, `/ingest`). Digest files and Insights events are CloudTrail's
/// but hold no events to analyse.
public struct CloudTrailSource: LogSourceDescriptor {
    public let name = "CloudTrail management events"
    public let dataSource = DataSource.cloudTrail
    public let s3Services: Set<S3LogPath.Service> = [.cloudTrail, .cloudTrailDigest, .cloudTrailInsight]

    public func recognise(_ file: FileHead) -> Recognition? {
        if file.layout?.service == .cloudTrailDigest { return .skip(.cloudTrailDigest) }
        if file.layout?.service == .cloudTrailInsight { return .skip(.cloudTrailInsight) }
        guard file.head.first == UInt8(ascii: "{") else { return nil }
        if file.headContains("\"digestStartTime\"") || file.headContains("\"digestEndTime\"") { return .skip(.cloudTrailDigest) }
        if LogSniffer.recordsKeyOpensArray(file.head) { return .records(.cloudTrailDocument) }
        if file.firstLineContains("\"query_name\"") { return nil }
        if file.firstLineContains("\"eventVersion\"") || (file.firstLineContains("\"eventName\"") && file.firstLineContains("\"eventTime\"")) {
            if file.firstLineContains("\"eventCategory\":\"Insight\"") { return .skip(.cloudTrailInsight) }
            return .records(.cloudTrailLines)
        }
        return nil
    }
}
