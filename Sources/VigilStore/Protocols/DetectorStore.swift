/// GuardDuty detectors, one per account and region.
public protocol DetectorStore: Sendable {
    func createDetector(_ detector: DetectorRecord) throws
    func detector(id: String) throws -> DetectorRecord?
    func detectors(accountId: String, region: String) throws -> [DetectorRecord]
    func updateDetector(_ detector: DetectorRecord) throws
    func deleteDetector(id: String) throws
    /// Every detector, by `<account>/<region>`.
    func detectorsByAccountRegion() throws -> [String: DetectorRecord]
}
