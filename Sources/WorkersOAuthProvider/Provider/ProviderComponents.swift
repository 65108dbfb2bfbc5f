import Foundation
import HTTPTypes
import Logging
import WorkersRuntime

/// Everything a provider builds once, in ``OAuthProvider/init(apiHandlers:defaultHandler:options:)``: the endpoints,
/// the bearer guard, the client registry, the rate limiters and the error responder. Requests only look up the KV
/// binding; nothing here is rebuilt per request.
final class ProviderComponents: Sendable {
    let options: OAuthProvider.Options
    let errors: OAuthErrorResponder
    let authorization: AuthorizationRequestValidator
    let clients: ClientRegistry
    let tokenEndpoint: TokenEndpoint
    let registrationEndpoint: RegistrationEndpoint
    /// Serves ``OAuthProvider/Options/introspectionEndpoint`` (built whether or not it is on: it holds no state
    /// but its rate limiter).
    let introspectionEndpoint: IntrospectionEndpoint
    let metadata: MetadataEndpoints
    let bearerGuard: OAuthBearerGuard
    /// Resolves metadata-document clients; `nil` when ``OAuthProvider/Options/clientIDMetadataDocuments`` is off.
    let metadataDocuments: CIMDResolver?
    /// The JWT signing keys; `nil` when ``OAuthProvider/Options/accessTokenSigning`` is off.
    let signingKeys: SigningKeys?

    init(options: OAuthProvider.Options) {
        var options = options
        if !options.resources.declared {
            options.resources = ResourceCatalog(metadata: options.resourceMetadata, format: options.accessTokenFormat)
        }
        // A resource with JWT access tokens needs signing keys: the defaults unless configured.
        if options.accessTokenSigning == nil, options.resources.issuesJWTs { options.accessTokenSigning = AccessTokenSigning() }
        self.options = options
        signingKeys = options.accessTokenSigning.map { SigningKeys($0, now: options.now, logger: options.logger) }
        errors = OAuthErrorResponder(options: options)
        authorization = AuthorizationRequestValidator(options: options)
        clients = ClientRegistry(options: options)
        tokenEndpoint = TokenEndpoint(
            options: options, rateLimiter: options.tokenRateLimit.map { RateLimiter($0, name: "token") }, signingKeys: signingKeys
        )
        let registrationLimiter = options.registrationRateLimit.map { RateLimiter($0, name: "registration") }
        registrationEndpoint = RegistrationEndpoint(options: options, clients: clients, rateLimiter: registrationLimiter)
        introspectionEndpoint = IntrospectionEndpoint(
            options: options, rateLimiter: options.introspectionRateLimit.map { RateLimiter($0, name: "introspection") }
        )
        metadataDocuments = options.clientIDMetadataDocuments ? CIMDResolver(options: options, rateLimiter: registrationLimiter) : nil
        metadata = MetadataEndpoints(options: options)
        bearerGuard = OAuthBearerGuard(options: options, errors: errors)
    }

    /// The store of `env`, resolving metadata-document clients when CIMD is on.
    func store(_ env: Env) throws(OAuthProviderError) -> OAuthStore {
        try OAuthStore.in(env, options: options, documents: metadataDocuments)
    }

    /// Serves one of the provider's own endpoints. Every failure becomes an OAuth error response; anything
    /// unexpected becomes an opaque 500 (logged, never leaked). Every introspection answer, whatever it is (an
    /// ``OAuthProvider/Options/onError`` replacement too), says `Cache-Control: no-store` (RFC 7662 §4).
    func respond(to request: Request, endpoint: ProviderEndpoint, store: OAuthStore, env: Env) async -> Response {
        let response = await answer(request, endpoint: endpoint, store: store, env: env)
        guard endpoint == .introspection else { return response }
        var uncached = response
        for field in Response.noStoreHeaders where field.name != .contentType { uncached.headers[field.name] = field.value }
        return uncached
    }

    private func answer(_ request: Request, endpoint: ProviderEndpoint, store: OAuthStore, env: Env) async -> Response {
        do {
            switch endpoint {
            case .authorizationServerMetadata: return try metadata.authorizationServer(request)
            case .protectedResourceMetadata(let suffix): return try metadata.protectedResource(request, suffix: suffix)
            case .token: return try await tokenEndpoint.respond(to: request, store: store, env: env)
            case .registration: return try await registrationEndpoint.respond(to: request, store: store)
            case .introspection: return try await introspectionEndpoint.respond(to: request, store: store)
            case .jwks:
                guard let signingKeys else { throw OAuthError.serverError }
                return try await JWKSEndpoint.respond(to: request, keys: signingKeys, store: store, env: env)
            }
        } catch {
            return await errors.labelled(endpoint.metricsLabel).response(forThrown: error, request: request, context: "OAuth endpoint")
        }
    }
}
