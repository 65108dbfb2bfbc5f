import Hummingbird
import NIOCore

/// The engine's per-request context for a ``WorkerResponder``: Hummingbird's basics plus the connection's peer
/// address, from which ``ClientAddressResolver`` derives `Request.clientAddress`.
struct WorkerRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The address of the connection's peer (the client, or the proxy in front of the server).
    let remoteAddress: SocketAddress?
    /// The connection's watch, which cancels the request's handling when the client leaves (``ConnectionWatch``).
    let watch: ConnectionWatch?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        watch = ConnectionWatch.of(source.channel)
    }
}
