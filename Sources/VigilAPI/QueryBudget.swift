import Foundation
import VigilModel
import VigilStore

/// Bounds the work of criteria, sorts and statistics the store cannot answer from its columns
/// (attributes inside lists, unknown sort attributes): at most ``candidateLimit`` findings are read
/// for them, and evaluating them may take at most ``seconds``. Beyond either the request is
/// refused, naming what to narrow — it never runs on at the expense of everyone else.
public struct QueryBudget {
    public static let candidateLimit = 50_000
    static let seconds: TimeInterval = 5

    private let deadline: Date
    private var checks = 0

    init(now: Date = Date()) { deadline = now.addingTimeInterval(Self.seconds) }

    /// The findings of `selection` to evaluate the rest of the criteria on.
    static func candidates(_ selection: FindingSelection, store: any FindingStore, limit: Int = candidateLimit) throws -> [Finding] {
        let found = try store.findings(selection, limit: limit + 1)
        guard found.count <= limit else { throw Self.tooBroad }
        return found
    }

    /// Throws once the time is spent (checked cheaply: the clock is read every 64 calls).
    mutating func check() throws {
        checks += 1
        if checks & 63 == 0, Date() > deadline { throw Self.tooSlow }
    }

    static let tooBroad = APIError.badRequest(
        "The request is rejected because its criteria or sort on attributes Vigil does not index would read more than \(candidateLimit) findings; narrow them with criteria on accountId, region, type, severity, updatedAt, createdAt, service.archived, resource.resourceType, resource.instanceDetails.instanceId or resource.accessKeyDetails.accessKeyId.")
    static let tooSlow = APIError.badRequest(
        "The request is rejected because its criteria or sort on attributes Vigil does not index took longer than \(Int(seconds)) seconds; narrow them with indexed criteria (severity, type, updatedAt, account, resource).")
}
