import WorkersRuntime

/// The RFC 7662 §2.2 introspection response: `{"active": false}`, or `active: true` with the token's claims
/// (absent ones omitted).
struct IntrospectionResponseBody: Encodable, Equatable {
    let active: Bool
    let token_type: String?
    let client_id: String?
    let sub: String?
    /// A string for one resource, an array for several (``ResourceList``'s encoding).
    let aud: ResourceList?
    let iss: String?
    /// Space-separated; omitted when the token has no scope.
    let scope: String?
    let exp: Int?
    let iat: Int?
    let jti: String?
    let props: JSONValue?

    /// The answer for a token that is not active (unknown, malformed, expired, revoked, not issued here).
    static let inactive = IntrospectionResponseBody(
        active: false, token_type: nil, client_id: nil, sub: nil, aud: nil, iss: nil, scope: nil, exp: nil, iat: nil,
        jti: nil, props: nil
    )

    /// The answer for an active token issued by `issuer`.
    init(_ token: IntrospectedToken, issuer: String) {
        self.init(
            active: true, token_type: token.tokenType, client_id: token.clientID, sub: token.subject, aud: token.audience,
            iss: issuer, scope: token.scope.isEmpty ? nil : token.scope.joined(separator: " "), exp: token.expiresAt,
            iat: token.issuedAt, jti: token.jwtID, props: token.props
        )
    }

    private init(
        active: Bool, token_type: String?, client_id: String?, sub: String?, aud: ResourceList?, iss: String?,
        scope: String?, exp: Int?, iat: Int?, jti: String?, props: JSONValue?
    ) {
        self.active = active
        self.token_type = token_type
        self.client_id = client_id
        self.sub = sub
        self.aud = aud
        self.iss = iss
        self.scope = scope
        self.exp = exp
        self.iat = iat
        self.jti = jti
        self.props = props
    }
}
