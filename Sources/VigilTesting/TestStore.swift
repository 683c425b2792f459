import Foundation
import VigilPostgres
import VigilStore

/// The stores a parameterised test runs against: SQLite in a temporary folder, and PostgreSQL in
/// a new database of the process's throw-away cluster (``ThrowawayPostgres``).
public enum TestStore: String, CaseIterable, Sendable {
    case sqlite
    case postgres

    /// A new, empty store and what reopens it (a second store on the same data, as after a restart).
    public func make() throws -> (store: any FindingStore, reopen: () throws -> any FindingStore, remove: () -> Void) {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-store-\(UUID().uuidString)").path
            return (try SQLiteFindingStore(directory: folder), { try SQLiteFindingStore(directory: folder) },
                    { try? FileManager.default.removeItem(atPath: folder) })
        case .postgres:
            let location = try PostgresLocation(try ThrowawayPostgres.shared().newDatabase())
            return (try PostgresFindingStore(location: location), { try PostgresFindingStore(location: location) }, {})
        }
    }
}
