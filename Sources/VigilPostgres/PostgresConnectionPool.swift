import Dispatch
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// A fixed number of PostgreSQL connections for callers that wait for their answers (the store
/// protocols are synchronous, as GRDB's are). Work runs on NIO's threads and the caller blocks on
/// the result, so a caller must never be on one of the pool's event loops. A connection that
/// broke (the server restarted, the network dropped) is discarded and the next caller opens a new
/// one, so the store resumes by itself when the database is back.
final class PostgresConnectionPool: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let idle = NIOLockedValueBox<[PostgresConnection]>([])
    private let nextID = NIOLockedValueBox(0)
    private let capacity: DispatchSemaphore

    init(location: PostgresLocation, size: Int, logger: Logger) throws {
        configuration = try location.configuration()
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        capacity = DispatchSemaphore(value: size)
    }

    deinit {
        for connection in idle.withLockedValue({ $0 }) { Self.close(connection) }
        try? group.syncShutdownGracefully()
    }

    /// Closes `connection` and waits until it is closed (a connection must not be released while
    /// it closes; a close that fails leaves it closed all the same).
    private static func close(_ connection: PostgresConnection) {
        try? (connection.close() as EventLoopFuture<Void>).wait()
    }

    /// Runs `body` with a connection of its own (at most `size` callers at once; others wait).
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        capacity.wait()
        defer { capacity.signal() }
        let connection = try idle.withLockedValue { idle in
            while let last = idle.popLast() { if !last.isClosed { return last } }  // one the server closed meanwhile is dropped
            return nil
        } ?? open()
        do {
            let result = try body(connection)
            if !connection.isClosed { idle.withLockedValue { $0.append(connection) } }
            return result
        } catch {
            // After a failure the connection's state is unknown (a transaction left open, the
            // server gone, a statement timed out): it is closed, and the next caller opens another.
            Self.close(connection)
            throw error
        }
    }

    private func open() throws -> PostgresConnection {
        let id = nextID.withLockedValue { $0 += 1; return $0 }
        return try PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger).wait()
    }
}
