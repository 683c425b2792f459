import Foundation
import PostgresNIO
import VigilStore

/// A value bound to a placeholder of a PostgreSQL statement (`nil`: NULL).
enum PostgresBind: Sendable {
    case text(String?)
    case real(Double?)
    case integer(Int?)
    case boolean(Bool?)
    case bytes(Data)
    case texts([String])
    case reals([Double])
    case booleans([Bool])
    case integers([Int])

    init(_ argument: SQLArgument) {
        switch argument {
        case .text(let value): self = .text(value)
        case .real(let value): self = .real(value)
        case .integer(let value): self = .integer(value)
        case .boolean(let value): self = .boolean(value)
        }
    }

    static func bindings(_ values: [PostgresBind]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let v): bindings.append(v)
            case .real(let v): bindings.append(v)
            case .integer(let v): bindings.append(v)
            case .boolean(let v): bindings.append(v)
            case .bytes(let v): bindings.append(ByteBuffer(bytes: v))
            case .texts(let v): bindings.append(v)
            case .reals(let v): bindings.append(v)
            case .booleans(let v): bindings.append(v)
            case .integers(let v): bindings.append(v)
            }
        }
        return bindings
    }
}

extension PostgresConnection {
    /// The longest one statement may take before its connection is given up (closed, the caller
    /// answered with ``PostgresTimeout``): a database that vanished mid-statement must not hold
    /// a caller for ever.
    static let statementLimit: TimeAmount = .seconds(30)

    /// The rows of one statement, waiting for them (never call on an event loop).
    func rows(_ sql: String, _ values: [PostgresBind] = []) throws -> [PostgresRow] {
        try bounded(query(PostgresQuery(unsafeSQL: sql, binds: PostgresBind.bindings(values)), logger: PostgresFindingStore.logger)).rows
    }

    /// Runs one statement; the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [PostgresBind] = []) throws -> Int {
        try bounded(query(PostgresQuery(unsafeSQL: sql, binds: PostgresBind.bindings(values)), logger: PostgresFindingStore.logger)).metadata.rows ?? 0
    }

    /// Waits for `future` at most ``statementLimit``; past it the connection is closed.
    private func bounded<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let answer = eventLoop.makePromise(of: T.self)
        future.cascade(to: answer)
        let limit = eventLoop.scheduleTask(in: Self.statementLimit) { [self] in
            answer.fail(PostgresTimeout())
            _ = close() as EventLoopFuture<Void>
        }
        defer { limit.cancel() }
        return try answer.futureResult.wait()
    }
}

/// A statement that got no answer within ``PostgresConnection/statementLimit``.
struct PostgresTimeout: Error, CustomStringConvertible {
    var description: String { "the database did not answer within \(PostgresConnection.statementLimit)" }
}
