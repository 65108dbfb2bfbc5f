import WorkersRuntime

/// What introspection found a token to be: its type and the claims an active answer reports
/// ([RFC 7662 §2.2](https://www.rfc-editor.org/rfc/rfc7662#section-2.2)). Built by ``TokenIntrospection`` from the
/// records a token names; an inactive token has none.
struct IntrospectedToken: Sendable, Equatable {
    /// The `token_type` of an access token (RFC 6750).
    static let bearer = "Bearer"
    /// The `token_type` this provider reports for a refresh token. RFC 7662 defines `token_type` through RFC 6749
    /// §7.1, which names access-token types only; we use the `token_type_hint` spelling, so that a resource server
    /// that checks for `Bearer` (as it must) never takes a refresh token for an access token.
    static let refreshToken = "refresh_token"

    /// `token_type`: ``bearer`` or ``refreshToken``.
    var tokenType: String
    /// `client_id`: the client the token was issued to.
    var clientID: String
    /// `sub`: the user the grant is for.
    var subject: String
    /// `aud`: the resources the token is for, if it is bound to any.
    var audience: ResourceList?
    /// `scope`.
    var scope: [String]
    /// `exp`, seconds since the epoch; `nil` for a token that never expires.
    var expiresAt: Int?
    /// `iat`, seconds since the epoch, when known.
    var issuedAt: Int?
    /// `jti`: the token's id (JWT access tokens only).
    var jwtID: String? = nil
    /// The grant's decrypted props, when the introspecting client may see them.
    var props: JSONValue? = nil
}
