import Foundation
import HTTPTypes
import Logging
import WorkersRuntime

/// Protects the provider's API routes (RFC 6750): the access token's record by its hash, the route's resource,
/// expiry, audience, then the grant's props decrypted for the handler; tokens not issued here go to
/// ``OAuthProvider/Options/resolveExternalToken``. The same ``RequestGuard`` slot as the static bearer-token and
/// proxy-assertion guards: an admitted request's props reach the handler in `ctx.props`, and what its token says
/// (client, scopes) in `ctx.accessToken`.
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

    /// A request to a route of `resource` (`nil`: no resource is configured, tokens are bound to the origin).
    struct Target {
        let request: Request
        let resource: ResourceCatalog.Entry?
        /// Whether the provider declared its resources (then challenges name the resource's metadata document).
        let declared: Bool
    }

    func check(_ request: Request, env: Env) async throws -> GuardDecision {
        do {
            let store = try OAuthStore.in(env, options: options)
            return await check(request, env: env, store: store, resource: options.resources.entries.first)
        } catch {
            return .deny(await errors.response(forThrown: error, request: request, context: "Bearer token check"))
        }
    }

    /// The decision for `request` to a route of `resource`, reading tokens from `store` (`env`'s, already looked up).
    func check(_ request: Request, env: Env, store: OAuthStore, resource: ResourceCatalog.Entry?) async -> GuardDecision {
        let target = Target(request: request, resource: resource, declared: options.resources.declared)
        guard let token = Self.bearerToken(request) else {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = challenge(target, error: nil)
            headers[.cacheControl] = "no-store"
            headers[HTTPField.Name("Pragma")!] = "no-cache"
            return .deny(Response(status: .unauthorized, headers: headers))
        }
        do {
            if let parts = TokenParts.ofAccessToken(token) {
                let tokenHash = TokenCrypto.hash(token)
                let cache = verified.map { cache in
                    (cache, VerifiedTokenCache.Key(store: ObjectIdentifier(store.kv as AnyObject), tokenHash: tokenHash), options.now().timeIntervalSince1970)
                }
                if let (verified, key, now) = cache, let entry = verified.entry(key, now: now) {
                    if let denial = await refusal(entry.record, target) { return .deny(denial) }
                    return .allow(props: entry.props, token: entry.record.info)
                }
                if let record = try await store.accessToken(hash: tokenHash, parts: parts) {
                    let decision = await checkInternal(record, token: token, target)
                    if let (verified, key, now) = cache, case .allow(let props, _) = decision {
                        verified.remember(key, record: record, props: props, now: now)
                    }
                    return decision
                }
            }
            guard let resolver = options.resolveExternalToken else {
                return .deny(await invalidToken(target, "Invalid access token"))
            }
            return await checkExternal(resolver, token: token, target, env: env)
        } catch {
            return .deny(await errors.response(forThrown: error, request: request, context: "Bearer token check"))
        }
    }

    /// The token of an `Authorization: Bearer <token>` header; any characters (an OAuth token holds a user id).
    static func bearerToken(_ request: Request) -> String? {
        BearerCredential.parse(request.headers, alphabet: .any).token
    }

    /// Why `record` does not admit the request (resource, expiry, audience), or `nil` when it does.
    private func refusal(_ record: StoredToken, _ target: Target) async -> Response? {
        let request = target.request
        if let resource = target.resource, record.audience?.values != [resource.canonical(at: request.origin)] {
            return await invalidToken(target, "Access token is not bound to the configured resource")
        }
        if record.expiresAt <= Int(options.now().timeIntervalSince1970) {
            return await invalidToken(target, "Access token expired")
        }
        if let audience = record.audience?.values, !audience.contains(where: { ResourceRules.audienceMatches(request.url, $0) }) {
            return await invalidToken(target, "Token audience does not match resource server", challengeDescription: "Invalid audience")
        }
        return nil
    }

    private func checkInternal(_ record: StoredToken, token: String, _ target: Target) async -> GuardDecision {
        if let denial = await refusal(record, target) { return .deny(denial) }
        do {
            let key = try TokenCrypto.unwrapKey(record.wrappedEncryptionKey, with: token)
            return .allow(props: try TokenCrypto.decryptProps(record.grant.encryptedProps, key: key), token: record.info)
        } catch {
            return .deny(await invalidToken(target, "Invalid access token"))
        }
    }

    /// `403 insufficient_scope` naming every scope the operation needs, with the resource's metadata URL.
    func insufficientScope(_ request: Request, _ error: InsufficientScopeError) async -> Response {
        await insufficientScope(Target(request: request, resource: options.resources.entries.first, declared: options.resources.declared), error)
    }

    /// `403 insufficient_scope` for a request to a route of `target`'s resource.
    func insufficientScope(_ target: Target, _ error: InsufficientScopeError) async -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = challenge(target, error: "insufficient_scope", scopes: error.requiredScopes)
        return await errors.response(
            for: OAuthError(.insufficientScope, description: error.description, status: .forbidden, headers: headers),
            request: target.request
        )
    }

    func invalidToken(_ target: Target, _ description: String, challengeDescription: String? = nil) async -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = challenge(target, error: "invalid_token", description: challengeDescription)
        return await errors.response(
            for: OAuthError(.invalidToken, description: description, status: .unauthorized, headers: headers),
            request: target.request
        )
    }

    /// `Bearer realm="OAuth", resource_metadata="<PRM URL>"[, error=...][, scope=...][, error_description=...]`.
    /// The metadata URL is that of the route's resource when the provider declared its resources, else that of the
    /// request's path (the simple form serves one document at every path).
    func challenge(_ target: Target, error: String?, scopes: [String]? = nil, description: String? = nil) -> String {
        let request = target.request
        let metadataURL: String
        let resourceScopes: [String]
        if target.declared, let resource = target.resource {
            metadataURL = ProviderEndpoint.metadataURL(of: resource.canonical(at: request.origin))
            resourceScopes = resource.challengeScopes ?? resource.scopes(fallback: options.scopesSupported)
        } else {
            metadataURL = request.origin + ProviderEndpoint.prmPath + request.path
            resourceScopes = options.resourceMetadata?.scopesSupported ?? []
        }
        return BearerChallenge(
            realm: "OAuth", resourceMetadata: metadataURL, error: error,
            scope: ScopeRules.publishable(scopes ?? resourceScopes).filter(ScopeRules.isValidToken),
            errorDescription: description
        ).headerValue
    }
}
