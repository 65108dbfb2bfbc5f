import Crypto
import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// The body of a successful token response.
struct TokenResponseBody: Encodable {
    let access_token: String
    let issued_token_type: String?
    let token_type = "bearer"
    let expires_in: Int
    let refresh_token: String?
    let scope: String
    let resource: ResourceList?
}

extension OAuthHelpers {
    /// `POST tokenEndpoint`: the authorization_code and refresh_token grants, and RFC 7009 revocation.
    func tokenEndpoint(_ request: Request) async throws -> Response {
        let authenticated = try await authenticateClient(request)
        let form = authenticated.form
        let client = authenticated.client
        try ProviderRateLimiters.check(
            rateLimiters.token, key: client.clientID, now: options.now(), what: "token requests from this client"
        )
        let origin = request.origin
        let grantType = form["grant_type"]
        if grantType == nil, let token = form["token"], !token.isEmpty {
            try await revoke(token, hint: form["token_type_hint"], client: client)
            return Response(status: .ok)
        }
        switch grantType.map(GrantType.init(rawValue:)) {
        case nil:
            throw OAuthError(.invalidRequest, description: "grant_type is required")
        case .authorizationCode?:
            try Self.require(.authorizationCode, for: client)
            return try await lockingGrant(of: form["code"]) { try await exchangeCode(form, client: client, origin: origin) }
        case .refreshToken?:
            try Self.require(.refreshToken, for: client)
            return try await lockingGrant(of: form["refresh_token"]) { try await refresh(form, client: client, origin: origin) }
        case .tokenExchange? where options.allowTokenExchangeGrant:
            try Self.require(.tokenExchange, for: client)
            return try await exchangeToken(form, client: client, origin: origin)
        default:
            throw OAuthError(.unsupportedGrantType, description: "Grant type not supported")
        }
    }

    /// RFC 6749 §5.2 / RFC 7591 §2: a client uses only the grant types it registered.
    private static func require(_ grantType: GrantType, for client: ClientInfo) throws(OAuthError) {
        guard client.allowedGrantTypes.contains(grantType) else {
            throw OAuthError(.unauthorizedClient, description: "The client is not registered for the \(grantType.rawValue) grant")
        }
    }

    /// Runs `body` holding the lock of the grant `token` names (see ``GrantLock``); without a parseable token there is
    /// no grant to protect and `body` fails on its own.
    private func lockingGrant(of token: String?, _ body: () async throws -> Response) async throws -> Response {
        guard let token, let parts = TokenParts(token) else { return try await body() }
        return try await GrantLock.shared.withLock("\(parts.userId):\(parts.grantId)", body)
    }

    private func exchangeCode(_ form: URLEncodedForm, client: ClientInfo, origin: String) async throws -> Response {
        guard let code = form["code"], !code.isEmpty else {
            throw OAuthError(.invalidRequest, description: "Authorization code is required")
        }
        guard let parts = TokenParts(code) else {
            throw OAuthError(.invalidGrant, description: "Invalid authorization code format")
        }
        guard var grant = try await store.grant(userId: parts.userId, grantId: parts.grantId) else {
            throw OAuthError(.invalidGrant, description: "Grant not found or authorization code expired")
        }
        guard let codeID = grant.authCodeId, SecureCompare.equals(codeID, TokenCrypto.hash(code)) else {
            throw OAuthError(.invalidGrant, description: "Invalid authorization code")
        }
        guard grant.clientId == client.clientID else {
            throw OAuthError(.invalidGrant, description: "Client ID mismatch")
        }
        guard let wrappedKey = grant.authCodeWrappedKey else {
            do { try await revokeGrant(grant.id, userID: grant.userId) } catch {
                options.logger.warning("Could not revoke a grant after code replay", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            }
            throw OAuthError(.invalidGrant, description: "Authorization code already used")
        }
        let challenge = grant.codeChallenge
        let method = CodeChallengeMethod(rawValue: grant.codeChallengeMethod ?? "plain")
        if challenge != nil, !options.challengeMethods.contains(method) {
            throw OAuthError(.invalidGrant, description: "Unsupported PKCE code_challenge_method: \(method.rawValue)")
        }
        let redirectURI = form["redirect_uri"]
        if redirectURI == nil, challenge == nil {
            throw OAuthError(.invalidRequest, description: "redirect_uri is required when not using PKCE")
        }
        if let redirectURI {
            let expected = grant.redirectUri.map { [$0] } ?? client.redirectURIs
            guard RedirectURIRules.matches(redirectURI, registered: expected) else {
                throw OAuthError(.invalidGrant, description: "Invalid redirect URI")
            }
        }
        let verifier = form["code_verifier"]
        if let challenge {
            guard let verifier, !verifier.isEmpty else {
                throw OAuthError(.invalidRequest, description: "code_verifier is required for PKCE")
            }
            guard PKCE.isWellFormed(verifier) else {
                throw OAuthError(.invalidGrant, description: "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)")
            }
            let computed = method == .s256 ? TokenCrypto.s256Challenge(verifier) : verifier
            guard SecureCompare.equals(computed, challenge) else {
                throw OAuthError(.invalidGrant, description: "Invalid PKCE code_verifier")
            }
        } else if verifier != nil {
            throw OAuthError(.invalidRequest, description: "code_verifier was provided, but the authorization request did not use PKCE")
        }
        let resource = try ResourceRules.resolve(
            requested: form.values("resource"), granted: grant.resource?.values,
            configured: options.canonicalResource(at: origin), origin: origin
        )
        var key = try TokenCrypto.unwrapKey(wrappedKey, with: code)
        let props = try TokenCrypto.decryptProps(grant.encryptedProps, key: key)
        var scope = ScopeRules.downscope(form["scope"], allowed: grant.scope)

        let hook = try await runTokenExchangeCallback(.authorizationCode, grant: grant, scope: scope, props: props)
        if let newScope = hook?.accessTokenScope { scope = newScope.filter(grant.scope.contains) }
        if let newProps = hook?.newProps {
            key = TokenCrypto.newPropsKey()
            grant.encryptedProps = try TokenCrypto.encryptProps(newProps, key: key)
        }
        let accessTTL = try validatedTTL(hook?.accessTokenTTL ?? options.accessTokenTTL)
        let refreshSeconds = hook?.refreshTokenTTL.map { $0.resolved(default: 2_592_000) } ?? options.refreshTokenSeconds
        if let seconds = refreshSeconds, seconds != 0, seconds < 60 {
            throw OAuthError(.invalidRequest, description: "Requested token lifetime must be at least 60 seconds")
        }

        let now = nowSeconds
        grant.authCodeWrappedKey = nil
        grant.codeChallenge = nil
        grant.codeChallengeMethod = nil
        var refreshToken: String?
        if refreshSeconds != 0, client.allowedGrantTypes.contains(.refreshToken) {
            let token = TokenParts.make(userId: grant.userId, grantId: grant.id)
            grant.refreshTokenId = TokenCrypto.hash(token)
            grant.refreshTokenWrappedKey = try TokenCrypto.wrapKey(key, with: token)
            grant.expiresAt = refreshSeconds.map { now + $0 }
            refreshToken = token
        } else {
            grant.expiresAt = now + accessTTL
        }
        try await store.putGrant(grant, expiration: grant.expiresAt.map { max($0, now + 65) })
        let accessToken = try await issueAccessToken(
            grant: grant, key: key, accessTokenProps: hook?.accessTokenProps, scope: scope,
            audience: ResourceRules.audience(resource, origin: origin), ttl: accessTTL
        )
        return tokenResponse(accessToken, ttl: accessTTL, refreshToken: refreshToken, scope: scope, resource: resource)
    }

    private func refresh(_ form: URLEncodedForm, client: ClientInfo, origin: String) async throws -> Response {
        guard let presented = form["refresh_token"], !presented.isEmpty else {
            throw OAuthError(.invalidRequest, description: "Refresh token is required")
        }
        guard let parts = TokenParts(presented) else {
            throw OAuthError(.invalidGrant, description: "Invalid token format")
        }
        guard var grant = try await store.grant(userId: parts.userId, grantId: parts.grantId) else {
            throw OAuthError(.invalidGrant, description: "Grant not found")
        }
        let presentedID = TokenCrypto.hash(presented)
        let now = nowSeconds
        let standing = RefreshTokenStanding.of(presentedID, in: grant, now: now, grace: options.refreshTokenReuseGrace)
        let wrappedKey: String?
        switch standing {
        case .current: wrappedKey = grant.refreshTokenWrappedKey
        case .retry: wrappedKey = grant.previousRefreshTokenWrappedKey
        case .unknown: throw OAuthError(.invalidGrant, description: "Invalid refresh token")
        case .reused:
            guard grant.clientId == client.clientID else { throw OAuthError(.invalidGrant, description: "Client ID mismatch") }
            try await revokeGrant(grant.id, userID: grant.userId)
            throw DetailedOAuthError(
                error: OAuthError(.invalidGrant, description: "Refresh token was already used; the grant has been revoked"),
                detail: "refresh_token_reuse: grant \(grant.id) of client \(grant.clientId.escapedForLog) revoked"
            )
        }
        guard grant.clientId == client.clientID else {
            throw OAuthError(.invalidGrant, description: "Client ID mismatch")
        }
        if let expiresAt = grant.expiresAt, expiresAt - now < 60 {
            throw OAuthError(.invalidGrant, description: "Refresh token has expired")
        }
        guard let wrappedKey else { throw OAuthError(.invalidGrant, description: "Invalid refresh token") }
        let resource = try ResourceRules.resolve(
            requested: form.values("resource"), granted: grant.resource?.values,
            configured: options.canonicalResource(at: origin), origin: origin
        )
        var key = try TokenCrypto.unwrapKey(wrappedKey, with: presented)
        let props = try TokenCrypto.decryptProps(grant.encryptedProps, key: key)
        var scope = ScopeRules.downscope(form["scope"], allowed: grant.scope)

        let hook = try await runTokenExchangeCallback(.refreshToken, grant: grant, scope: scope, props: props)
        if hook?.refreshTokenTTL != nil {
            throw OAuthError(.invalidRequest, description: "refreshTokenTTL cannot be changed during refresh token exchange")
        }
        if let newScope = hook?.accessTokenScope { scope = newScope.filter(grant.scope.contains) }
        if let newProps = hook?.newProps {
            key = TokenCrypto.newPropsKey()
            grant.encryptedProps = try TokenCrypto.encryptProps(newProps, key: key)
        }
        var accessTTL = hook?.accessTokenTTL ?? options.accessTokenTTL
        if let expiresAt = grant.expiresAt { accessTTL = min(accessTTL, expiresAt - now) }
        accessTTL = try validatedTTL(accessTTL)

        let newToken = TokenParts.make(userId: grant.userId, grantId: grant.id)
        grant.rotateRefreshToken(
            presentedID: presentedID, presentedWrappedKey: try TokenCrypto.wrapKey(key, with: presented), standing: standing,
            newTokenID: TokenCrypto.hash(newToken), newWrappedKey: try TokenCrypto.wrapKey(key, with: newToken), now: now
        )
        try await store.putGrant(grant, expiration: grant.expiresAt.map { max($0, now + 65) })
        let accessToken = try await issueAccessToken(
            grant: grant, key: key, accessTokenProps: hook?.accessTokenProps, scope: scope,
            audience: ResourceRules.audience(resource, origin: origin), ttl: accessTTL
        )
        return tokenResponse(accessToken, ttl: accessTTL, refreshToken: newToken, scope: scope, resource: resource)
    }

    func validatedTTL(_ ttl: Int) throws -> Int {
        guard ttl >= 60 else {
            throw OAuthError(.invalidRequest, description: "Requested token lifetime must be at least 60 seconds")
        }
        return ttl
    }

    func runTokenExchangeCallback(
        _ grantType: GrantType, grant: StoredGrant, scope: [String], props: JSONValue
    ) async throws -> TokenExchangeResult? {
        guard let callback = options.tokenExchangeCallback else { return nil }
        return try await callback(
            TokenExchangeInput(
                grantType: grantType, clientID: grant.clientId, userID: grant.userId, grantID: grant.id,
                scope: grant.scope, requestedScope: scope, props: props
            )
        )
    }

    /// Stores a new access token for `grant` and returns it.
    func issueAccessToken(
        grant: StoredGrant, key: SymmetricKey, accessTokenProps: JSONValue?, scope: [String], audience: [String]?, ttl: Int
    ) async throws -> String {
        let token = TokenParts.make(userId: grant.userId, grantId: grant.id)
        var encryptedProps = grant.encryptedProps
        var tokenKey = key
        if let accessTokenProps {
            tokenKey = TokenCrypto.newPropsKey()
            encryptedProps = try TokenCrypto.encryptProps(accessTokenProps, key: tokenKey)
        }
        let now = nowSeconds
        let tokenID = TokenCrypto.hash(token)
        let record = StoredToken(
            id: tokenID, grantId: grant.id, userId: grant.userId, createdAt: now, expiresAt: now + ttl,
            audience: ResourceList(audience), scope: scope,
            wrappedEncryptionKey: try TokenCrypto.wrapKey(tokenKey, with: token),
            grant: .init(clientId: grant.clientId, scope: grant.scope, encryptedProps: encryptedProps)
        )
        try await store.write(
            OAuthStore.tokenKey(userId: grant.userId, grantId: grant.id, tokenId: tokenID), record, expirationTtl: ttl
        )
        return token
    }

    /// The token response; `resource` echoes the resources asked for or granted (not the default origin binding).
    func tokenResponse(
        _ accessToken: String, ttl: Int, refreshToken: String?, scope: [String], resource: [String]?,
        issuedTokenType: String? = nil
    ) -> Response {
        ProviderResponses.json(
            TokenResponseBody(
                access_token: accessToken, issued_token_type: issuedTokenType, expires_in: ttl,
                refresh_token: refreshToken, scope: scope.joined(separator: " "), resource: ResourceList(resource)
            ),
            noStore: true
        )
    }
}
