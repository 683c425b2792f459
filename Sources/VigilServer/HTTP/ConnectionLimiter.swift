import NIOCore

/// Closes a new connection at once, before it can send anything, when its remote address already
/// holds as many connections as the ``KeyedLimit`` allows (the global cap is Hummingbird's
/// `MaximumAvailableConnections`).
final class ConnectionLimiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private let limit: KeyedLimit
    /// The address whose place this connection holds.
    private var holding: String?

    init(limit: KeyedLimit) { self.limit = limit }

    func handlerAdded(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if limit.enter(address) { holding = address } else { context.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let holding { limit.leave(holding) }
        holding = nil
    }
}
