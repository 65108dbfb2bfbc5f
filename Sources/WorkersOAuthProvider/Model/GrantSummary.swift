public import WorkersRuntime

/// A grant as ``OAuthHelpers/listUserGrants(_:limit:cursor:)`` lists it: no secrets, no props.
public struct GrantSummary: Sendable, Equatable {
    /// The grant id.
    public var id: String
    /// The client the grant was issued to.
    public var clientID: String
    /// The user.
    public var userID: String
    /// The granted scopes.
    public var scope: [String]
    /// The application metadata stored with the grant (plaintext).
    public var metadata: JSONValue?
    /// When the grant was created (seconds since the epoch).
    public var createdAt: Int
    /// When the grant expires (seconds since the epoch), `nil` for never.
    public var expiresAt: Int?
    /// The redirect URI used at authorization.
    public var redirectURI: String?
    /// When the client last refreshed the grant (its refresh token last rotated; seconds since the epoch), `nil` when
    /// it never did, or when the grant was last written by the anchor, which does not record it.
    public var lastRefreshedAt: Int? = nil
    /// The resources (RFC 8707) the grant is for, when the authorization named or was given some.
    public var resource: [String]? = nil
}
