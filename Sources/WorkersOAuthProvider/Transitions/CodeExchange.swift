import Crypto
import WorkersRuntime

/// The authorization-code grant (RFC 6749 §4.1.3, RFC 7636 §4.6) as pure steps around the token-exchange hook:
/// ``validate(_:grant:client:options:origin:)`` checks the code against the grant read for it and unlocks it,
/// ``issue(_:hook:client:secrets:options:now:)`` spends the code and computes the tokens and what to store.
///
/// Every refusal before ``issue(_:hook:client:secrets:options:now:)`` leaves the code usable, except a replay: a
/// code already exchanged revokes its grant and every token issued from it (RFC 6749 §4.1.2).
enum CodeExchange {
    /// The grant's parameters of a token request.
    struct Request: Sendable {
        let code: String
        let parts: TokenParts
        let redirectURI: String?
        let codeVerifier: String?
        let coverage: RequestedCoverage

        /// Reads the parameters; the code must be present and well formed.
        init(_ form: URLEncodedForm) throws(OAuthError) {
            let code = try PresentedSecret(
                form, parameter: "code", missing: "Authorization code is required", malformed: "Invalid authorization code format"
            )
            self.code = code.value
            parts = code.parts
            redirectURI = form["redirect_uri"]
            codeVerifier = form["code_verifier"]
            coverage = RequestedCoverage(form)
        }
    }

    /// Checks `request` against `grant` (the record its code names, `nil` when there is none).
    /// - Throws: ``OAuthError`` (nothing changes), or ``GrantRefusal`` revoking the grant of a replayed code.
    static func validate(
        _ request: Request, grant: StoredGrant?, client: ClientInfo, options: OAuthProvider.Options, origin: String
    ) throws -> UnlockedGrant {
        guard let grant else {
            throw OAuthError(.invalidGrant, description: "Grant not found or authorization code expired")
        }
        guard let codeID = grant.authCodeID, SecureCompare.equals(codeID, TokenCrypto.hash(request.code)) else {
            throw OAuthError(.invalidGrant, description: "Invalid authorization code")
        }
        guard grant.clientID == client.clientID else {
            throw OAuthError(.invalidGrant, description: "Client ID mismatch")
        }
        guard let wrappedKey = grant.authCodeWrappedKey else {
            throw GrantRefusal.revoking(grant, "Authorization code already used")
        }
        let challenge = grant.codeChallenge
        let method = CodeChallengeMethod(rawValue: grant.codeChallengeMethod ?? "plain")
        if challenge != nil, !options.challengeMethods.contains(method) {
            throw OAuthError(.invalidGrant, description: "Unsupported PKCE code_challenge_method: \(method.rawValue)")
        }
        if request.redirectURI == nil, challenge == nil {
            throw OAuthError(.invalidRequest, description: "redirect_uri is required when not using PKCE")
        }
        if let redirectURI = request.redirectURI {
            let expected = grant.redirectURI.map { [$0] } ?? client.redirectURIs
            guard RedirectURIRules.matches(redirectURI, registered: expected) else {
                throw OAuthError(.invalidGrant, description: "Invalid redirect URI")
            }
        }
        try PKCE.verify(request.codeVerifier, challenge: challenge, method: method)
        let resource = try ResourceRules.resolve(
            requested: request.coverage.resources, granted: grant.resource?.values,
            configured: options.resources.canonicalURIs(at: origin), origin: origin
        )
        return try UnlockedGrant(
            grant, wrappedKey: wrappedKey, secret: request.code, requestedScope: request.coverage.scope, resource: resource
        )
    }

    /// Spends the code: the grant without it (with a refresh token when the client may refresh and refresh tokens
    /// are on), a new access token, and the token response.
    /// - Throws: ``OAuthError`` for a lifetime the hook set below the minimum.
    static func issue(
        _ validated: UnlockedGrant, hook: TokenExchangeResult?, client: ClientInfo, secrets: FreshSecrets,
        options: OAuthProvider.Options, origin: String, now: Int
    ) throws -> (GrantTransition, TokenResponseBody) {
        var unlocked = validated
        try unlocked.apply(hook, propsKey: secrets.propsKey)
        let accessTTL = try AccessTokenIssue.checked(hook?.accessTokenTTL ?? options.accessTokenTTL)
        let refreshSeconds =
            hook?.refreshTokenTTL.map { $0.resolved(default: Lifetimes.defaultRefreshToken) } ?? options.refreshTokenSeconds
        if let seconds = refreshSeconds, seconds != 0, seconds < Lifetimes.minimum {
            throw OAuthError(.invalidRequest, description: "Requested token lifetime must be at least 60 seconds")
        }

        unlocked.grant.authCodeWrappedKey = nil
        unlocked.grant.codeChallenge = nil
        unlocked.grant.codeChallengeMethod = nil
        var refreshToken: String?
        if refreshSeconds != 0, client.allowedGrantTypes.contains(.refreshToken) {
            unlocked.grant.refreshTokenID = TokenCrypto.hash(secrets.refreshToken)
            unlocked.grant.refreshTokenWrappedKey = try TokenCrypto.wrapKey(unlocked.key, with: secrets.refreshToken)
            unlocked.grant.expiresAt = refreshSeconds.map { now + $0 }
            refreshToken = secrets.refreshToken
        } else {
            unlocked.grant.expiresAt = now + accessTTL
        }
        return try unlocked.issue(
            accessTTL: accessTTL, refreshToken: refreshToken, hook: hook, secrets: secrets, origin: origin, now: now
        )
    }
}
