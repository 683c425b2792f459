import Foundation
import VigilPostgres
import VigilStore

/// Which store a command opens: `--store`, else `$VIGIL_STORE`, else the configuration's `store`,
/// else SQLite in the data folder. `sqlite:FOLDER` names a SQLite store's folder (its
/// `vigil.sqlite`), `postgres://USER@HOST:PORT/DATABASE` a PostgreSQL database shared by nodes.
enum StoreLocation: CustomStringConvertible {
    case sqlite(directory: String)
    case postgres(PostgresLocation)

    /// A location that cannot be used.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(option: String?, configuration: String?, dataDirectory: String,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws(Invalid) {
        guard let text = option ?? environment["VIGIL_STORE"] ?? configuration, !text.isEmpty else {
            self = .sqlite(directory: dataDirectory)
            return
        }
        if text.hasPrefix("sqlite:") {
            let folder = String(text.dropFirst("sqlite:".count))
            guard !folder.isEmpty else { throw Invalid(description: "'\(text)': sqlite:FOLDER names the store's folder") }
            self = .sqlite(directory: folder)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do { self = .postgres(try PostgresLocation(text, environment: environment)) } catch { throw Invalid(description: error.description) }
        } else {
            throw Invalid(description: "'\(text)' is neither sqlite:FOLDER nor postgres://USER@HOST:PORT/DATABASE")
        }
    }

    /// Opens the store, creating or migrating its schema.
    func open() throws -> any FindingStore {
        switch self {
        case .sqlite(let directory): try SQLiteFindingStore(directory: directory)
        case .postgres(let location): try PostgresFindingStore(location: location)
        }
    }

    var description: String {
        switch self {
        case .sqlite(let directory): (directory as NSString).appendingPathComponent("vigil.sqlite")
        case .postgres(let location): location.description
        }
    }
}
