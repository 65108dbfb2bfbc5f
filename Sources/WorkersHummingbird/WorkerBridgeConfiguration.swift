public import Foundation
import WorkersServer

/// How Hummingbird requests become Worker requests (``OAuthProviderMiddleware``, a mounted Worker): the same rules
/// `serve` applies from `[swift_workers]`.
public struct WorkerBridgeConfiguration: Sendable {
    /// The origin clients use (`https://mcp.example.com`). Set it whenever the app is reached through a proxy or
    /// over TLS: the provider's metadata, issuer and token audiences are built from it. `nil` uses the `Host`
    /// header and `http`.
    public var publicOrigin: URL?
    /// Whether `Forwarded` / `X-Forwarded-*` headers are believed (only behind a proxy that sets them).
    public var trustForwardedHeaders: Bool
    /// The largest request body read for a Worker or a provider endpoint, in bytes (larger ones get a 413).
    public var maxBodySize: Int

    /// Creates a configuration.
    /// - Parameters:
    ///   - publicOrigin: The origin clients use; `nil` trusts the `Host` header.
    ///   - trustForwardedHeaders: Whether to believe `Forwarded` / `X-Forwarded-*`.
    ///   - maxBodySize: The body limit in bytes (1 MiB by default, as `serve`).
    public init(publicOrigin: URL? = nil, trustForwardedHeaders: Bool = false, maxBodySize: Int = 1_048_576) {
        self.publicOrigin = publicOrigin
        self.trustForwardedHeaders = trustForwardedHeaders
        self.maxBodySize = maxBodySize
    }

    var bridge: EngineBridge {
        EngineBridge(
            configuration: WorkerServer.Configuration(
                publicOrigin: publicOrigin, trustForwardedHeaders: trustForwardedHeaders, maxBodySize: maxBodySize))
    }
}
