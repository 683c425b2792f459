import Foundation
import NIOCore

/// Counts open connections by remote address and closes a new connection beyond the per-address
/// limit at once, before it can send anything (the global cap is Hummingbird's
/// `MaximumAvailableConnections`).
final class ConnectionCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var open: [String: Int] = [:]
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Records a connection from `address`; whether it is within the limit.
    func opened(_ address: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let count = open[address, default: 0] + 1
        open[address] = count
        return count <= limit
    }

    func closed(_ address: String) {
        lock.lock()
        defer { lock.unlock() }
        let count = open[address, default: 1] - 1
        open[address] = count > 0 ? count : nil
    }
}

/// The channel handler that applies ``ConnectionCounts`` to each connection.
final class ConnectionLimiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private let counts: ConnectionCounts
    private var address: String?

    init(counts: ConnectionCounts) { self.counts = counts }

    func handlerAdded(context: ChannelHandlerContext) {
        let remote = context.channel.remoteAddress?.ipAddress ?? "unknown"
        address = remote
        if !counts.opened(remote) { context.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let address { counts.closed(address) }
        address = nil
    }
}
