import Crypto
import WorkersRuntime

/// The refresh-token grant (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2) as pure steps around
/// the token-exchange hook: ``validate(_:grant:client:options:origin:now:)`` finds how the presented token stands
/// (``RefreshTokenStanding``), ``issue(_:hook:secrets:options:origin:now:)`` rotates it.
enum RefreshRotation {
    /// The grant's parameters of a token request.
    struct Request: Sendable {
        let token: String
        let parts: TokenParts
        let coverage: RequestedCoverage

        /// Reads the parameters; the refresh token must be present and well formed.
        init(_ form: URLEncodedForm) throws(OAuthError) {
            let token = try PresentedSecret(
                form, parameter: "refresh_token", missing: "Refresh token is required", malformed: "Invalid token format"
            )
            self.token = token.value
            parts = token.parts
            coverage = RequestedCoverage(form)
        }
    }

    /// A refresh token that checked out: how it stands, and the grant it unlocked.
    struct Validated: Sendable {
        var unlocked: UnlockedGrant
        var presentedID: String
        var standing: RefreshTokenStanding
    }

    /// Checks `request` against `grant` (the record its token names, `nil` when there is none).
    /// - Throws: ``OAuthError`` (nothing changes), or ``GrantRefusal`` revoking the grant of a reused token.
    static func validate(
        _ request: Request, grant: StoredGrant?, client: ClientInfo, options: OAuthProvider.Options, origin: String, now: Int
    ) throws -> Validated {
        guard let grant else { throw OAuthError(.invalidGrant, description: "Grant not found") }
        let presentedID = TokenCrypto.hash(request.token)
        let standing = RefreshTokenStanding.of(presentedID, in: grant, now: now, grace: options.refreshTokenReuseGrace)
        let wrappedKey: String?
        switch standing {
        case .current: wrappedKey = grant.refreshTokenWrappedKey
        case .retry: wrappedKey = grant.previousRefreshTokenWrappedKey
        case .unknown: throw OAuthError(.invalidGrant, description: "Invalid refresh token")
        case .reused:
            guard grant.clientID == client.clientID else { throw OAuthError(.invalidGrant, description: "Client ID mismatch") }
            throw GrantRefusal.revoking(
                grant, "Refresh token was already used; the grant has been revoked",
                detail: "refresh_token_reuse: grant \(grant.id) of client \(grant.clientID.escapedForLog) revoked"
            )
        }
        guard grant.clientID == client.clientID else {
            throw OAuthError(.invalidGrant, description: "Client ID mismatch")
        }
        if let expiresAt = grant.expiresAt, expiresAt - now < Lifetimes.minimum {
            throw OAuthError(.invalidGrant, description: "Refresh token has expired")
        }
        guard let wrappedKey else { throw OAuthError(.invalidGrant, description: "Invalid refresh token") }
        let resource = try ResourceRules.resolve(
            requested: request.coverage.resources, granted: grant.resource?.values,
            configured: options.resources.canonicalURIs(at: origin), origin: origin
        )
        let unlocked = try UnlockedGrant(
            grant, wrappedKey: wrappedKey, secret: request.token, requestedScope: request.coverage.scope, resource: resource
        )
        return Validated(unlocked: unlocked, presentedID: presentedID, standing: standing)
    }

    /// Rotates the token: the grant with the new refresh token current (the presented one previous and spent), a
    /// new access token that never outlives the grant, and the token response.
    /// - Throws: ``OAuthError`` when the hook tries to change the refresh token's lifetime, or the access token
    ///   would live less than the minimum.
    static func issue(
        _ validated: Validated, presented: String, hook: TokenExchangeResult?, secrets: FreshSecrets,
        options: OAuthProvider.Options, origin: String, now: Int
    ) throws -> (GrantTransition, TokenResponseBody) {
        if hook?.refreshTokenTTL != nil {
            throw OAuthError(.invalidRequest, description: "refreshTokenTTL cannot be changed during refresh token exchange")
        }
        var unlocked = validated.unlocked
        try unlocked.apply(hook, propsKey: secrets.propsKey)
        var accessTTL = hook?.accessTokenTTL ?? options.accessTokenTTL
        if let expiresAt = unlocked.grant.expiresAt { accessTTL = min(accessTTL, expiresAt - now) }
        accessTTL = try AccessTokenIssue.checked(accessTTL)
        unlocked.grant.rotateRefreshToken(
            presentedID: validated.presentedID, presentedWrappedKey: try TokenCrypto.wrapKey(unlocked.key, with: presented),
            standing: validated.standing, newTokenID: TokenCrypto.hash(secrets.refreshToken),
            newWrappedKey: try TokenCrypto.wrapKey(unlocked.key, with: secrets.refreshToken), now: now
        )
        return try unlocked.issue(
            accessTTL: accessTTL, refreshToken: secrets.refreshToken, hook: hook, secrets: secrets, origin: origin, now: now
        )
    }
}
