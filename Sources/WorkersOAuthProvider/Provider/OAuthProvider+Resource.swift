public import WorkersRuntime

extension OAuthProvider {
    /// One protected resource of an authorization server that serves several
    /// (``OAuthProvider/init(resources:defaultHandler:options:)``): its canonical URI, the scopes it knows, the
    /// handlers that serve it here (none for a resource server elsewhere, which checks the tokens itself), and the
    /// format of its access tokens.
    ///
    /// Every token is bound to exactly one resource (RFC 8707): a token for one is refused by every other.
    ///
    /// ```swift
    /// let provider = try OAuthProvider(
    ///     resources: [
    ///         .init(uri: "/mcp", scopes: ["mcp", "mcp:write"], handlers: ["/mcp": mcp]),
    ///         .init(uri: "https://notes.example.com/mcp", scopes: ["notes:read", "notes:write"], accessTokenFormat: .jwt),
    ///     ],
    ///     defaultHandler: login, options: options
    /// )
    /// ```
    public struct Resource: Sendable {
        /// The canonical resource URI: absolute (`https`, or `http` on a loopback host; no fragment), or a path such as
        /// `"/mcp"` resolved against the origin each request arrives at.
        public var uri: String
        /// The scopes a token for this resource may hold; `[]` for the provider's ``Options/scopesSupported``.
        public var scopes: [String]
        /// Route prefix -> handler, for a resource this provider serves (a path, or a full URL to match the host).
        public var handlers: [String: any FetchHandling]
        /// The scopes a `401` challenge names (what a client should ask for first, the MCP scope-selection
        /// strategy; operations needing more answer `403 insufficient_scope`); `nil`: all of ``scopes``.
        public var challengeScopes: [String]?
        /// The format of its access tokens.
        public var accessTokenFormat: AccessTokenFormat
        /// A display name for its RFC 9728 document (`resource_name`).
        public var name: String?

        /// Creates a resource.
        /// - Parameters:
        ///   - uri: The canonical resource URI, or a path on this server.
        ///   - scopes: Its scopes (`[]`: the provider's).
        ///   - handlers: Its route prefixes and handlers here; none for a resource server elsewhere.
        ///   - challengeScopes: The scopes a `401` challenge names (`nil`: all of `scopes`).
        ///   - accessTokenFormat: ``AccessTokenFormat/opaque`` (default) or ``AccessTokenFormat/jwt``.
        ///   - name: Its display name.
        public init(
            uri: String, scopes: [String] = [], handlers: [String: any FetchHandling] = [:], challengeScopes: [String]? = nil,
            accessTokenFormat: AccessTokenFormat = .opaque, name: String? = nil
        ) {
            self.challengeScopes = challengeScopes
            self.uri = uri
            self.scopes = scopes
            self.handlers = handlers
            self.accessTokenFormat = accessTokenFormat
            self.name = name
        }
    }
}
