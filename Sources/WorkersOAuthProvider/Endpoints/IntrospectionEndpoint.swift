import Foundation
import HTTPTypes
import WorkersRuntime

/// `POST introspectionEndpoint` ([RFC 7662](https://www.rfc-editor.org/rfc/rfc7662)): a resource server,
/// authenticated as a confidential client, asks whether a token is active and what it grants.
///
/// The request is a form (`token`, optional `token_type_hint`), each parameter once; the caller authenticates with
/// its registered `client_secret_basic` or `client_secret_post` (a public client, or none, is `401
/// invalid_client`), within ``OAuthProvider/Options/introspectionRateLimit``. The answer is `{"active": false}` for
/// anything this provider does not hold as live (never an error, so nothing is revealed about why), else the
/// token's claims; the grant's props only for a client the operator created (``ClientRegistrationSource/operator``),
/// since props often hold upstream credentials. Every answer says `Cache-Control: no-store`.
struct IntrospectionEndpoint: Sendable {
    /// The client authentication methods accepted here (advertised in the metadata).
    static let authMethods: [TokenEndpointAuthMethod] = [.clientSecretBasic, .clientSecretPost]

    let options: OAuthProvider.Options
    let authenticator: ClientAuthenticator
    let rateLimiter: RateLimiter?

    init(options: OAuthProvider.Options, rateLimiter: RateLimiter?) {
        self.options = options
        self.authenticator = ClientAuthenticator()
        self.rateLimiter = rateLimiter
    }

    func respond(to request: Request, store: OAuthStore) async throws -> Response {
        guard request.method == .post else {
            var headers = HTTPFields()
            headers[.allow] = "POST"
            throw OAuthError(.invalidRequest, description: "Method not allowed", status: .methodNotAllowed, headers: headers)
        }
        let authenticated = try await authenticator.authenticate(request, store: store, repeatable: [])
        let client = authenticated.client
        guard Self.authMethods.contains(client.tokenEndpointAuthMethod) else {
            throw DetailedOAuthError(
                error: ClientAuthenticator.invalidClient("Introspection requires a confidential client", basic: false),
                detail: "introspection_by_public_client: \(client.clientID)"
            )
        }
        try RateLimiter.check(rateLimiter, key: client.clientID, now: options.now(), what: "introspection requests from this client")
        guard let token = authenticated.form["token"], !token.isEmpty else {
            throw OAuthError(.invalidRequest, description: "token is required")
        }
        let claims = try await introspect(
            token, hint: authenticated.form["token_type_hint"], store: store, withProps: client.registeredBy == .operator
        )
        let body = try claims.map { IntrospectionResponseBody($0, issuer: try Issuer.of(request, options: options)) } ?? .inactive
        return ProviderResponses.json(body, noStore: true)
    }

    /// Which live token `token` is and what it claims, or `nil` when it is not active: the one place a presented
    /// token becomes claims (a JWT access token is decided here too, before the opaque lookups).
    ///
    /// An opaque token `user:grant:secret` is looked up as an access token (its record by hash) and as a refresh
    /// token (its grant's current refresh token), in the order `hint` suggests (`refresh_token` first, else access
    /// token first); a wrong or unknown hint only changes the order (RFC 7662 §2.1).
    /// - Parameters:
    ///   - token: The presented token.
    ///   - hint: `token_type_hint`, if given.
    ///   - store: Where the records are read.
    ///   - withProps: Include the grant's decrypted props (access tokens only).
    /// - Throws: Store failures (the caller answers an opaque 500, or 503 for an unreachable store).
    func introspect(_ token: String, hint: String?, store: OAuthStore, withProps: Bool) async throws -> IntrospectedToken? {
        guard let parts = TokenParts.ofAccessToken(token) else { return nil }
        let now = Int(options.now().timeIntervalSince1970)
        if hint == "refresh_token" {
            if let claims = try await refreshToken(token, parts: parts, store: store, now: now) { return claims }
            return try await accessToken(token, parts: parts, store: store, now: now, withProps: withProps)
        }
        if let claims = try await accessToken(token, parts: parts, store: store, now: now, withProps: withProps) { return claims }
        return try await refreshToken(token, parts: parts, store: store, now: now)
    }

    private func accessToken(_ token: String, parts: TokenParts, store: OAuthStore, now: Int, withProps: Bool) async throws
        -> IntrospectedToken?
    {
        let record = try await store.accessToken(token, parts: parts)
        var introspected = TokenIntrospection.accessToken(record, token: token, now: now, withProps: withProps)
        introspected?.jwtID = parts.jwtID
        return introspected
    }

    private func refreshToken(_ token: String, parts: TokenParts, store: OAuthStore, now: Int) async throws -> IntrospectedToken? {
        TokenIntrospection.refreshToken(token, grant: try await store.grant(parts), now: now)
    }
}
