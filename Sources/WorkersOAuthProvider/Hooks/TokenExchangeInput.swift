public import WorkersRuntime

/// What ``OAuthProvider/Options/tokenExchangeCallback`` is given.
public struct TokenExchangeInput: Sendable {
    /// `authorization_code` or `refresh_token`.
    public var grantType: GrantType
    /// The client.
    public var clientID: String
    /// The user.
    public var userID: String
    /// The grant (stable across refreshes).
    public var grantID: String
    /// The grant's scopes.
    public var scope: [String]
    /// The scopes of the token about to be issued (after downscoping).
    public var requestedScope: [String]
    /// The grant's decrypted props.
    public var props: JSONValue
}
