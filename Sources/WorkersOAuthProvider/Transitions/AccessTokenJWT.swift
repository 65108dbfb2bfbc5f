import Crypto
import WorkersRuntime

/// Turning an issued access token into a JWT (RFC 9068), as pure steps around the signing: the grant steps issue an
/// opaque token; for a resource whose format is ``AccessTokenFormat/jwt`` the endpoint computes the claims from
/// the token's record (``claims(of:issuer:lifetime:jwtID:)``), signs them, and re-keys the record to the JWT
/// (``rebind(_:from:to:lifetime:)``), so the store keeps one record per JWT, by its SHA-256 like any token:
/// this provider checks its own JWTs against the store (revocation at once, props for its handlers), other
/// resource servers check the signature offline.
enum AccessTokenJWT {
    /// The lifetime of a JWT issued in place of a token of `ttl` seconds: the shorter of the two (a JWT cannot be
    /// revoked where it is checked offline, so it lives at most ``AccessTokenSigning/lifetime``).
    static func lifetime(_ ttl: Int, signing: AccessTokenSigning) -> Int {
        min(ttl, signing.lifetime)
    }

    /// The claims of the JWT standing for `record`: `sub` the user (the client, for `client_credentials`), `aud`
    /// its one resource, and never the props.
    /// - Throws: ``OAuthError`` `invalid_target` when the token is bound to several resources (a JWT is for one).
    static func claims(of record: StoredToken, issuer: String, lifetime: Int, jwtID: String) throws(OAuthError) -> AccessTokenClaims {
        guard let audience = record.audience?.values, audience.count == 1 else {
            throw OAuthError(.invalidTarget, description: "A JWT access token is for exactly one resource; name one")
        }
        return AccessTokenClaims(
            iss: issuer, sub: record.userID, aud: audience[0], client_id: record.grant.clientID,
            scope: record.scope.joined(separator: " "), exp: record.createdAt + lifetime, iat: record.createdAt, jti: jwtID
        )
    }

    /// A new `jti` for a token of grant `grantID`: `<grantId>.<22 random base64url characters>`.
    static func newJWTID(grantID: String) -> String {
        "\(grantID).\(TokenCrypto.randomString(length: 22))"
    }

    /// `record` (issued under `opaque`) stored for `jwt` instead: keyed by the JWT's hash, its props key wrapped
    /// under the JWT, living `lifetime` seconds.
    static func rebind(_ record: StoredToken, from opaque: String, to jwt: String, lifetime: Int) throws -> StoredToken {
        let key = try TokenCrypto.unwrapKey(record.wrappedEncryptionKey, with: opaque)
        var rebound = record
        rebound.id = TokenCrypto.hash(jwt)
        rebound.wrappedEncryptionKey = try TokenCrypto.wrapKey(key, with: jwt)
        rebound.expiresAt = record.createdAt + lifetime
        return rebound
    }

    /// `transition` and `body` with the access token `opaque` replaced by `jwt`.
    static func replacing(
        _ transition: GrantTransition, _ body: TokenResponseBody, opaque: String, jwt: String, lifetime: Int
    ) throws -> (GrantTransition, TokenResponseBody) {
        var effects: [GrantTransition.Effect] = []
        for effect in transition.effects {
            if case .putToken(let record, _) = effect, record.id == TokenCrypto.hash(opaque) {
                effects.append(.putToken(try rebind(record, from: opaque, to: jwt, lifetime: lifetime), ttl: lifetime))
            } else {
                effects.append(effect)
            }
        }
        let replaced = TokenResponseBody(
            accessToken: jwt, issuedTokenType: body.issued_token_type, expiresIn: lifetime, refreshToken: body.refresh_token,
            scope: ScopeRules.split(body.scope), resource: body.resource?.values
        )
        return (GrantTransition(effects: effects), replaced)
    }
}
