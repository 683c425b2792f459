/// Publishing destinations (exports of findings).
public protocol DestinationStore: Sendable {
    func saveDestination(_ destination: DestinationRecord) throws
    func destination(id: String) throws -> DestinationRecord?
    func destinations(detectorId: String?) throws -> [DestinationRecord]
    func deleteDestination(id: String) throws
}
