public import Hummingbird
public import NIOCore
public import WorkersRuntime

/// The smallest ``OAuthRequestContext``: Hummingbird's core context, the connection's remote address (so
/// `trustForwardedHeaders` and the provider's rate limits see the client), the grant's props and the token's scopes.
public struct BasicOAuthRequestContext: OAuthRequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage (logger, endpoint path, parameters).
    public var coreContext: CoreRequestContextStorage
    /// The grant's props on a protected route, set by ``OAuthProviderMiddleware``; `nil` elsewhere.
    public var oauthProps: JSONValue?
    /// What the access token says (client, scopes, user) on a protected route, set by ``OAuthProviderMiddleware``.
    public var oauthToken: AccessTokenInfo?
    /// The address of the connection's peer (the client, or a proxy in front of the app).
    public let remoteAddress: SocketAddress?

    /// Creates the context of a request arriving on a connection.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
