import Foundation
import HTTPTypes
import Logging
import WorkersRuntime

/// `POST tokenEndpoint`: authenticates the client, applies the per-client rate limit, and runs the grant it asks
/// for (`authorization_code`, `refresh_token`, token exchange and `client_credentials` when enabled), or an RFC 7009 revocation (a form with
/// `token` and no `grant_type`, the anchor's design).
///
/// Each grant reads its records, computes a pure transition (``CodeExchange``, ``RefreshRotation``,
/// ``TokenExchange``) with the token-exchange hook in between, and hands the result to the store in one call.
struct TokenEndpoint: Sendable {
    let options: OAuthProvider.Options
    let authenticator: ClientAuthenticator
    let revocation: RevocationEndpoint
    let rateLimiter: RateLimiter?
    /// The JWT signing keys, for resources with JWT access tokens.
    let signingKeys: SigningKeys?
    /// The provider's authorization-request rules, for the scopes of a resource (`client_credentials`).
    let authorization: AuthorizationRequestValidator

    init(options: OAuthProvider.Options, rateLimiter: RateLimiter?, signingKeys: SigningKeys? = nil) {
        self.options = options
        self.authorization = AuthorizationRequestValidator(options: options)
        self.authenticator = ClientAuthenticator()
        self.revocation = RevocationEndpoint()
        self.rateLimiter = rateLimiter
        self.signingKeys = signingKeys
    }

    var now: Int { Int(options.now().timeIntervalSince1970) }

    func respond(to request: Request, store: OAuthStore, env: Env) async throws -> Response {
        let context = Context(request: request, store: store, env: env)
        let authenticated = try await authenticator.authenticate(request, store: store)
        let form = authenticated.form
        let client = authenticated.client
        try RateLimiter.check(rateLimiter, key: client.clientID, now: options.now(), what: "token requests from this client")
        let grantType = form["grant_type"]
        if grantType == nil, let token = form["token"], !token.isEmpty {
            try await revocation.revoke(token, hint: form["token_type_hint"], client: client, store: store)
            return Response(status: .ok)
        }
        do {
            let issued: GrantType
            let response: Response
            switch grantType.map(GrantType.init(rawValue:)) {
            case nil:
                throw OAuthError(.invalidRequest, description: "grant_type is required")
            case .authorizationCode?:
                try Self.require(.authorizationCode, for: client)
                issued = .authorizationCode
                response = try await exchangeCode(form, client: client, context)
            case .refreshToken?:
                try Self.require(.refreshToken, for: client)
                issued = .refreshToken
                response = try await refresh(form, client: client, context)
            case .clientCredentials? where options.allowClientCredentialsGrant:
                try Self.require(.clientCredentials, for: client)
                issued = .clientCredentials
                response = try await issueClientCredentials(form, client: client, context)
            case .tokenExchange? where options.allowTokenExchangeGrant:
                try Self.require(.tokenExchange, for: client)
                issued = .tokenExchange
                response = try await exchangeToken(form, client: client, context)
            default:
                throw OAuthError(.unsupportedGrantType, description: "Grant type not supported")
            }
            ProviderMetrics.tokenIssued(issued)
            return response
        } catch let refusal as GrantRefusal {
            // A refusal that revokes (a replayed code, a reused refresh token) still answers with its error when
            // the revocation itself fails: the failure is logged.
            do { try await store.apply(refusal.effects) } catch {
                options.logger.warning(
                    "Could not apply a refused grant's revocation", metadata: ["error": "\(String(describing: error).escapedForLog)"]
                )
            }
            throw refusal
        }
    }

    /// RFC 6749 §5.2 / RFC 7591 §2: a client uses only the grant types it registered.
    static func require(_ grantType: GrantType, for client: ClientInfo) throws(OAuthError) {
        guard client.allowedGrantTypes.contains(grantType) else {
            throw OAuthError(.unauthorizedClient, description: "The client is not registered for the \(grantType.rawValue) grant")
        }
    }

    /// What ``OAuthProvider/Options/tokenExchangeCallback`` makes of the tokens about to be issued, if it is set.
    func hookResult(
        _ grantType: GrantType, grant: StoredGrant, scope: [String], props: JSONValue
    ) async throws -> TokenExchangeResult? {
        guard let callback = options.tokenExchangeCallback else { return nil }
        return try await callback(
            TokenExchangeInput(
                grantType: grantType, clientID: grant.clientID, userID: grant.userID, grantID: grant.id,
                scope: grant.scope, requestedScope: scope, props: props
            )
        )
    }

    /// The token response.
    static func tokens(_ body: TokenResponseBody) -> Response {
        ProviderResponses.json(body, noStore: true)
    }

    /// How many times a grant step is computed again because its grant changed between the read and the commit
    /// (another request, in this process or another, changed it meanwhile).
    static let maximumAttempts = 8

    /// Runs a grant step as an optimistic transaction: read the grant `parts` names, compute the step from it, and
    /// commit the result only if the grant is still what was read; else read again and recompute (a code consumed
    /// meanwhile is then refused as a replay, a refresh token rotated meanwhile is then a retry). Correct across
    /// processes and hosts sharing the store: the store's commit decides, not a lock of this process.
    /// - Throws: What the step throws; `temporarily_unavailable` when the grant kept changing.
    func committing(
        _ parts: TokenParts, store: OAuthStore,
        _ step: (StoredGrant?) async throws -> (GrantTransition, TokenResponseBody)
    ) async throws -> Response {
        let key = OAuthStore.grantKey(userID: parts.userID, grantID: parts.grantID)
        for attempt in 0..<Self.maximumAttempts {
            let record = try await store.grantRecord(parts)
            let (transition, body) = try await step(record?.grant)
            if try await store.apply(transition, ifUnchanged: (key, record?.bytes)) { return Self.tokens(body) }
            // Lost a race for the grant: back off a little, at random, so racers stop colliding.
            try await Task.sleep(for: .microseconds(Int.random(in: 0...(500 << min(attempt, 4)))))
        }
        var headers = HTTPFields()
        headers[.retryAfter] = "1"
        throw OAuthError(
            .temporarilyUnavailable, description: "The grant is being changed by other requests; retry", status: .serviceUnavailable,
            headers: headers
        )
    }
}
