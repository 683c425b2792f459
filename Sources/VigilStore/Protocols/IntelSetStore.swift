/// Threat and trusted lists registered through the API (IPSet, ThreatIntelSet, ThreatEntitySet,
/// TrustedEntitySet).
public protocol IntelSetStore: Sendable {
    func saveIntelSet(_ set: IntelSetRecord) throws
    func intelSet(id: String) throws -> IntelSetRecord?
    func intelSets(detectorId: String?) throws -> [IntelSetRecord]
    func deleteIntelSet(id: String) throws
}
