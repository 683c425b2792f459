import Foundation
import PostgresNIO

/// Where a PostgreSQL store is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…&connections=N]`
/// (also `postgresql://`). The password may instead come from `PGPASSWORD`; TLS is used when
/// `sslmode` is `require` (or `verify-full`), never silently downgraded; `connections` bounds the
/// connections one process opens (default 12: the API's 8 workers and the background services).
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool
    /// The most connections one process opens (1–64).
    public var connections: Int

    /// Why a location could not be read.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(Invalid) {
        guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql" else {
            throw Invalid(description: "'\(text)' is not a postgres://USER@HOST:PORT/DATABASE location")
        }
        guard let host = url.host, !host.isEmpty else { throw Invalid(description: "\(text): no host") }
        guard let user = url.user, !user.isEmpty else { throw Invalid(description: "\(text): no user") }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw Invalid(description: "\(text): no database (postgres://USER@HOST:PORT/DATABASE)") }
        let mode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        guard ["disable", "prefer", "require", "verify-full"].contains(mode) else { throw Invalid(description: "\(text): sslmode '\(mode)' is not disable, require or verify-full") }
        self.host = host
        self.port = url.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = url.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        self.database = database
        self.requireTLS = mode == "require" || mode == "verify-full"
        let connections = url.queryItems?.first { $0.name == "connections" }?.value ?? "12"
        guard let count = Int(connections), (1...64).contains(count) else { throw Invalid(description: "\(text): connections '\(connections)' is not a number from 1 to 64") }
        self.connections = count
    }

    /// The location without its password, for logs and messages.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    func configuration() throws -> PostgresConnection.Configuration {
        var tls = PostgresConnection.Configuration.TLS.disable
        if requireTLS { tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration())) }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        // A node stopped in the middle of a transaction (SIGSTOP, a frozen VM) must not hold its
        // locks — the lease rows, the balancing lock — for ever: the server ends such a session
        // after 10 s, rolling it back, and the node's next commit is refused by its fencing tokens.
        // (Vigil's transactions never wait on the client between statements for that long.)
        configuration.options.additionalStartupParameters = [("idle_in_transaction_session_timeout", "10s")]
        return configuration
    }
}
