/// What ``OAuthProvider/Options/clientCredentialsCallback`` is given: the machine client and what its token will
/// cover.
public struct ClientCredentialsInput: Sendable {
    /// The client (also the token's subject).
    public var clientID: String
    /// The scopes the token will hold.
    public var scope: [String]
    /// The resource the token is bound to.
    public var resource: String
}
