import Hummingbird
import NIOCore

/// The request context of `vigil serve`: Hummingbird's core context and the client's address
/// (for per-address limits on connections and sign-in attempts).
struct VigilRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
