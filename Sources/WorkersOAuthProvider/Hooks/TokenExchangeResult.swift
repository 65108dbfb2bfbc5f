public import WorkersRuntime

/// How ``OAuthProvider/Options/tokenExchangeCallback`` changes the tokens being issued. Every field is optional.
public struct TokenExchangeResult: Sendable {
    /// Props for this access token only.
    public var accessTokenProps: JSONValue?
    /// New props for the grant (and the access token, unless ``accessTokenProps`` is set).
    public var newProps: JSONValue?
    /// The access token's lifetime in seconds (at least 60).
    public var accessTokenTTL: Int?
    /// The refresh token's lifetime; only at code exchange (at refresh it is an `invalid_request`).
    public var refreshTokenTTL: TokenLifetime?
    /// Scopes for the access token, downscoped against the grant's.
    public var accessTokenScope: [String]?

    /// Creates a result.
    public init(
        accessTokenProps: JSONValue? = nil,
        newProps: JSONValue? = nil,
        accessTokenTTL: Int? = nil,
        refreshTokenTTL: TokenLifetime? = nil,
        accessTokenScope: [String]? = nil
    ) {
        self.accessTokenProps = accessTokenProps
        self.newProps = newProps
        self.accessTokenTTL = accessTokenTTL
        self.refreshTokenTTL = refreshTokenTTL
        self.accessTokenScope = accessTokenScope
    }
}
