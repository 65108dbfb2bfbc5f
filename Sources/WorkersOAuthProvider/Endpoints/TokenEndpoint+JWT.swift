import WorkersRuntime

extension TokenEndpoint {
    /// What a grant step needs besides its form: the request (its origin and issuer), the store, and the environment
    /// (the signing keys' secret).
    struct Context: Sendable {
        let request: Request
        let store: OAuthStore
        let env: Env

        var origin: String { request.origin }
    }

    /// `issued` with its access token (`opaque`, from ``FreshSecrets``) a signed JWT (RFC 9068) when the token's
    /// resource has ``AccessTokenFormat/jwt`` tokens, living at most ``AccessTokenSigning/lifetime``; unchanged
    /// otherwise (``AccessTokenJWT``).
    func minted(_ issued: (GrantTransition, TokenResponseBody), opaque: String, _ context: Context) async throws
        -> (GrantTransition, TokenResponseBody)
    {
        guard let signingKeys, let signing = options.accessTokenSigning else { return issued }
        let opaqueID = TokenCrypto.hash(opaque)
        let record = issued.0.effects.lazy.compactMap { effect -> StoredToken? in
            if case .putToken(let record, _) = effect, record.id == opaqueID { return record }
            return nil
        }.first
        guard let record, options.resources.format(of: record.audience?.values ?? [], at: context.origin) == .jwt else {
            return issued
        }
        let lifetime = AccessTokenJWT.lifetime(record.expiresAt - record.createdAt, signing: signing)
        let claims = try AccessTokenJWT.claims(
            of: record, issuer: try Issuer.of(context.request, options: options), lifetime: lifetime,
            jwtID: AccessTokenJWT.newJWTID(grantID: record.grantID)
        )
        let jwt = try await signingKeys.sign(claims, store: context.store, env: context.env)
        return try AccessTokenJWT.replacing(issued.0, issued.1, opaque: opaque, jwt: jwt, lifetime: lifetime)
    }
}
