import NIOCore
import NIOPosix
import Synchronization

/// A TCP listener that accepts connections, counts them and closes them at once: the witness that a client made no
/// connection at all (an SSRF guard that refuses before connecting leaves ``connections`` at 0).
public final class ConnectionCountingListener: Sendable {
    /// The bound port.
    public let port: Int
    private let channel: any Channel
    private let accepted: Tally

    private final class Tally: Sendable {
        let count = Mutex(0)
    }

    private init(port: Int, channel: any Channel, accepted: Tally) {
        self.port = port
        self.channel = channel
        self.accepted = accepted
    }

    /// Listens on `host` (`127.0.0.1`, `::1`…) and an ephemeral port.
    public static func start(host: String = "127.0.0.1") async throws -> ConnectionCountingListener {
        let tally = Tally()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                tally.count.withLock { $0 += 1 }
                return child.close()
            }
            .bind(host: host, port: 0).get()
        return ConnectionCountingListener(port: channel.localAddress?.port ?? 0, channel: channel, accepted: tally)
    }

    /// Connections accepted so far.
    public var connections: Int { accepted.count.withLock { $0 } }

    /// Stops listening.
    public func stop() async {
        try? await channel.close()
    }
}
