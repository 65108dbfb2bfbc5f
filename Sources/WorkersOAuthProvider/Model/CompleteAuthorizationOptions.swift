public import WorkersRuntime

/// What ``OAuthHelpers/completeAuthorization(_:)`` needs once the user has consented.
public struct CompleteAuthorizationOptions: Sendable {
    /// The request from ``OAuthHelpers/parseAuthRequest(_:)``.
    public var request: AuthRequest
    /// The user's id; it must not contain `:` (tokens are `{userId}:{grantId}:{secret}`).
    public var userID: String
    /// Application metadata stored in plaintext with the grant (shown by ``OAuthHelpers/listUserGrants(_:limit:cursor:)``).
    public var metadata: JSONValue?
    /// The scopes granted.
    public var scope: [String]
    /// The props API handlers will see; stored encrypted.
    public var props: JSONValue
    /// Replace the user's older grants for this client (and, with several resources, this resource): the new grant
    /// also holds their scopes (scope accumulation, so re-authorizing for a larger scope never loses what was
    /// granted before), and they are revoked (the default).
    public var revokeExistingGrants: Bool

    /// Creates options.
    public init(
        request: AuthRequest,
        userID: String,
        metadata: JSONValue? = nil,
        scope: [String],
        props: JSONValue,
        revokeExistingGrants: Bool = true
    ) {
        self.request = request
        self.userID = userID
        self.metadata = metadata
        self.scope = scope
        self.props = props
        self.revokeExistingGrants = revokeExistingGrants
    }
}
