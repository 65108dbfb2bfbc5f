import JWTKit

/// The claims of a JWT access token ([RFC 9068 §2.2](https://www.rfc-editor.org/rfc/rfc9068#section-2.2)), exactly
/// these and never the grant's props: the token is readable by anyone who holds it.
struct AccessTokenClaims: Codable, Sendable, Equatable {
    /// The issuer: the origin of the token endpoint.
    var iss: String
    /// The user id; the client id for the client_credentials grant.
    var sub: String
    /// The one resource the token is for (its canonical URI).
    var aud: String
    var client_id: String
    /// Space-separated scopes; `nil` (omitted) when there are none.
    var scope: String?
    /// Expiry and issue time, seconds since the epoch.
    var exp: Int
    var iat: Int
    /// `<grantId>.<22 random base64url characters>`.
    var jti: String

    /// Creates claims; an empty `scope` is omitted.
    init(iss: String, sub: String, aud: String, client_id: String, scope: String?, exp: Int, iat: Int, jti: String) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.client_id = client_id
        self.scope = scope?.isEmpty == true ? nil : scope
        self.exp = exp
        self.iat = iat
        self.jti = jti
    }
}

extension AccessTokenClaims: JWTPayload {
    /// Nothing: ``SigningKeys/verify(_:store:env:)`` checks the expiry against the provider's clock, and the caller
    /// checks the rest.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
