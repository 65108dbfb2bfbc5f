/// What an access token that admitted a request says about it: who it was issued to, for which resource, with which
/// scopes. A guard that checks OAuth access tokens (the OAuth provider, a resource server) puts it in
/// ``ExecutionContext/accessToken``; handlers read it to decide what one operation may do.
///
/// ```swift
/// let api = FetchHandler { request, env, ctx in
///     try ctx.requireScopes(["notes:write"])          // 403 insufficient_scope without it
///     return Response.text("written by \(ctx.accessToken?.clientID ?? "?")")
/// }
/// ```
public struct AccessTokenInfo: Sendable, Equatable {
    /// The client the token was issued to.
    public var clientID: String
    /// The scopes granted to the token.
    public var scopes: [String]
    /// The user the token acts for (the client itself for a machine client), when known.
    public var subject: String?
    /// The resource (RFC 8707 audience) the token is bound to, when known.
    public var resource: String?
    /// When the token expires, in seconds since the epoch, when known.
    public var expiresAt: Int?

    /// Creates a description of a token.
    /// - Parameters:
    ///   - clientID: The client it was issued to.
    ///   - scopes: Its scopes.
    ///   - subject: The user (or machine client) it acts for.
    ///   - resource: The resource it is bound to.
    ///   - expiresAt: Its expiry, in seconds since the epoch.
    public init(clientID: String, scopes: [String], subject: String? = nil, resource: String? = nil, expiresAt: Int? = nil) {
        self.clientID = clientID
        self.scopes = scopes
        self.subject = subject
        self.resource = resource
        self.expiresAt = expiresAt
    }

    /// Whether the token holds every scope of `required`.
    public func hasScopes(_ required: [String]) -> Bool {
        required.allSatisfy(scopes.contains)
    }
}
