public import WorkersRuntime

/// A decoded access token (``OAuthHelpers/unwrapToken(_:)``).
public struct TokenSummary: Sendable, Equatable {
    /// The token id (SHA-256 hex of the token).
    public var id: String
    /// The grant it belongs to.
    public var grantID: String
    /// The user.
    public var userID: String
    /// Creation time (seconds since the epoch).
    public var createdAt: Int
    /// Expiry (seconds since the epoch).
    public var expiresAt: Int
    /// The resources the token is bound to.
    public var audience: [String]?
    /// The token's scopes.
    public var scope: [String]
    /// The client the grant was issued to.
    public var clientID: String
    /// The grant's scopes.
    public var grantScope: [String]
    /// The decrypted props.
    public var props: JSONValue
}
