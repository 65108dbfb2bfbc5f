import Foundation
import HTTPTypes
import Logging
import WorkersRuntime

/// Protects the provider's API routes (RFC 6750): the access token's record by its hash, the canonical resource,
/// expiry, audience, then the grant's props decrypted for the handler; tokens not issued here go to
/// ``OAuthProvider/Options/resolveExternalToken``. The same ``RequestGuard`` slot as the static bearer-token and
/// proxy-assertion guards: an admitted request's props reach the handler in `ctx.props`.
struct OAuthBearerGuard: RequestGuard {
    let options: OAuthProvider.Options
    let errors: OAuthErrorResponder
    /// Tokens verified in the last moment, when ``OAuthProvider/Options/verifiedTokenCacheTTL`` is set.
    let verified: VerifiedTokenCache?

    init(options: OAuthProvider.Options, errors: OAuthErrorResponder) {
        self.options = options
        self.errors = errors.labelled("api")
        verified = options.verifiedTokenCacheTTL.map(VerifiedTokenCache.init(lifetime:))
    }

    func check(_ request: Request, env: Env) async throws -> GuardDecision {
        do {
            return await check(request, env: env, store: try OAuthStore.in(env, options: options))
        } catch {
            return .deny(await errors.response(forThrown: error, request: request, context: "Bearer token check"))
        }
    }

    /// The decision for `request`, reading tokens from `store` (`env`'s, already looked up).
    func check(_ request: Request, env: Env, store: OAuthStore) async -> GuardDecision {
        guard let token = Self.bearerToken(request) else {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = challenge(request, error: nil)
            headers[.cacheControl] = "no-store"
            headers[HTTPField.Name("Pragma")!] = "no-cache"
            return .deny(Response(status: .unauthorized, headers: headers))
        }
        do {
            if let parts = TokenParts(token) {
                let tokenHash = TokenCrypto.hash(token)
                let cache = verified.map { cache in
                    (cache, VerifiedTokenCache.Key(store: ObjectIdentifier(store.kv as AnyObject), tokenHash: tokenHash), options.now().timeIntervalSince1970)
                }
                if let (verified, key, now) = cache, let entry = verified.entry(key, now: now) {
                    if let denial = await refusal(entry.record, request: request) { return .deny(denial) }
                    return .allow(props: entry.props, token: entry.record.info)
                }
                if let record = try await store.accessToken(hash: tokenHash, parts: parts) {
                    let decision = await checkInternal(record, token: token, request: request)
                    if let (verified, key, now) = cache, case .allow(let props, _) = decision {
                        verified.remember(key, record: record, props: props, now: now)
                    }
                    return decision
                }
            }
            guard let resolver = options.resolveExternalToken else {
                return .deny(await invalidToken(request, "Invalid access token"))
            }
            return await checkExternal(resolver, token: token, request: request, env: env)
        } catch {
            return .deny(await errors.response(forThrown: error, request: request, context: "Bearer token check"))
        }
    }

    /// The token of an `Authorization: Bearer <token>` header; any characters (an OAuth token holds a user id).
    static func bearerToken(_ request: Request) -> String? {
        BearerCredential.parse(request.headers, alphabet: .any).token
    }

    /// Why `record` does not admit `request` (resource, expiry, audience), or `nil` when it does.
    private func refusal(_ record: StoredToken, request: Request) async -> Response? {
        if let configured = options.canonicalResource(at: request.origin), record.audience?.values != [configured] {
            return await invalidToken(request, "Access token is not bound to the configured resource")
        }
        if record.expiresAt <= Int(options.now().timeIntervalSince1970) {
            return await invalidToken(request, "Access token expired")
        }
        if let audience = record.audience?.values, !audience.contains(where: { ResourceRules.audienceMatches(request.url, $0) }) {
            return await invalidToken(request, "Token audience does not match resource server", challengeDescription: "Invalid audience")
        }
        return nil
    }

    private func checkInternal(_ record: StoredToken, token: String, request: Request) async -> GuardDecision {
        if let denial = await refusal(record, request: request) { return .deny(denial) }
        do {
            let key = try TokenCrypto.unwrapKey(record.wrappedEncryptionKey, with: token)
            return .allow(props: try TokenCrypto.decryptProps(record.grant.encryptedProps, key: key), token: record.info)
        } catch {
            return .deny(await invalidToken(request, "Invalid access token"))
        }
    }

    /// `403 insufficient_scope` naming every scope the operation needs, with this resource's metadata URL.
    func insufficientScope(_ request: Request, _ error: InsufficientScopeError) async -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = challenge(request, error: "insufficient_scope", scopes: error.requiredScopes)
        return await errors.response(
            for: OAuthError(.insufficientScope, description: error.description, status: .forbidden, headers: headers), request: request
        )
    }

    func invalidToken(_ request: Request, _ description: String, challengeDescription: String? = nil) async -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = challenge(request, error: "invalid_token", description: challengeDescription)
        return await errors.response(
            for: OAuthError(.invalidToken, description: description, status: .unauthorized, headers: headers), request: request
        )
    }

    /// `Bearer realm="OAuth", resource_metadata="<PRM URL for this path>"[, error=...][, scope=...][, error_description=...]`.
    func challenge(_ request: Request, error: String?, scopes: [String]? = nil, description: String? = nil) -> String {
        BearerChallenge(
            realm: "OAuth", resourceMetadata: request.origin + ProviderEndpoint.prmPath + request.path, error: error,
            scope: ScopeRules.publishable(scopes ?? options.resourceMetadata?.scopesSupported ?? []).filter(ScopeRules.isValidToken),
            errorDescription: description
        ).headerValue
    }
}
