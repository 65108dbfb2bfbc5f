import Foundation
import Logging
public import WorkersRuntime

/// An OAuth 2.1 authorization server and protected resource, as a Worker (a port of Cloudflare's
/// `workers-oauth-provider`).
///
/// Requests to an API route need a valid access token and reach their handler with the grant's decrypted props in
/// `ctx.props`; the provider serves its own endpoints (metadata, token, revocation, registration, introspection);
/// everything else, including the application's `/authorize` page, goes to the default handler, which finds the
/// helpers at `env.oauthProvider`.
///
/// ```swift
/// let provider = try OAuthProvider(
///     apiHandlers: ["/mcp": mcpHandler],
///     defaultHandler: FetchHandler { request, env, ctx in
///         let helpers = env.oauthProvider!
///         let authRequest = try await helpers.parseAuthRequest(request)
///         // ... log the user in ...
///         let done = try await helpers.completeAuthorization(CompleteAuthorizationOptions(
///             request: authRequest, userID: "alice", scope: authRequest.scope, props: ["login": "alice"]))
///         return try Response.redirect(done.redirectTo)
///     },
///     options: .init(authorizeEndpoint: "/authorize", tokenEndpoint: "/oauth/token")
/// )
/// ```
public struct OAuthProvider: FetchHandling {
    /// The configuration.
    public var options: Options { components.options }
    let routes: [APIRoute]
    let defaultHandler: any FetchHandling
    let components: ProviderComponents

    /// Creates a provider with one handler per API route prefix.
    /// - Parameters:
    ///   - apiHandlers: Route prefix (a path, or a full URL to also match the host) -> handler. Prefixes match on a
    ///     path boundary; the longest matching prefix wins.
    ///   - defaultHandler: Handles every other request, including the authorization page.
    ///   - options: Endpoints, lifetimes, hooks.
    /// - Throws: ``OAuthProviderError`` naming the invalid option.
    public init(
        apiHandlers: [String: any FetchHandling],
        defaultHandler: any FetchHandling,
        options: Options
    ) throws(OAuthProviderError) {
        guard !apiHandlers.isEmpty else { throw OAuthProviderError("apiHandlers must name at least one route") }
        try options.validate()
        let components = ProviderComponents(options: options)
        let resource = components.options.resources.entries.first
        self.init(
            routes: try apiHandlers.map { pattern, handler throws(OAuthProviderError) in
                try APIRoute(pattern, handler: handler, resource: resource)
            },
            defaultHandler: defaultHandler, components: components
        )
    }

    /// Creates an authorization server for several resources, each with its canonical URI, scopes, metadata
    /// document (`/.well-known/oauth-protected-resource<path of its URI>`), challenge and token format. A token is
    /// bound to exactly one resource (the one the client names with RFC 8707's `resource`, else the first) and is
    /// refused by every other. A resource without handlers is served elsewhere, by a resource server that checks
    /// the tokens itself (JWTs against ``AccessTokenSigning``'s published keys, or introspection).
    /// - Parameters:
    ///   - resources: The resources, the default first; their URIs distinct.
    ///   - defaultHandler: Handles every other request, including the authorization page.
    ///   - options: Endpoints, lifetimes, hooks (its ``Options/resourceMetadata`` is not used: each resource is its
    ///     own).
    /// - Throws: ``OAuthProviderError`` naming the invalid option or resource.
    public init(
        resources: [Resource],
        defaultHandler: any FetchHandling,
        options: Options
    ) throws(OAuthProviderError) {
        var options = options
        options.resources = ResourceCatalog(resources: resources)
        try options.validate()
        let components = ProviderComponents(options: options)
        var routes: [APIRoute] = []
        for (resource, entry) in zip(resources, components.options.resources.entries) {
            for (pattern, handler) in resource.handlers {
                routes.append(try APIRoute(pattern, handler: handler, resource: entry))
            }
        }
        self.init(routes: routes, defaultHandler: defaultHandler, components: components)
    }

    private init(routes: [APIRoute], defaultHandler: any FetchHandling, components: ProviderComponents) {
        self.routes = routes.sorted { $0.path.count > $1.path.count }
        self.defaultHandler = defaultHandler
        self.components = components
    }

    /// Creates a provider whose API routes all go to one handler.
    /// - Parameters:
    ///   - apiRoute: Route prefixes.
    ///   - apiHandler: The handler of every API route.
    ///   - defaultHandler: Handles every other request.
    ///   - options: Endpoints, lifetimes, hooks.
    /// - Throws: ``OAuthProviderError`` naming the invalid option.
    public init(
        apiRoute: [String],
        apiHandler: any FetchHandling,
        defaultHandler: any FetchHandling,
        options: Options
    ) throws(OAuthProviderError) {
        guard !apiRoute.isEmpty else { throw OAuthProviderError("apiRoute must name at least one route") }
        try self.init(
            apiHandlers: Dictionary(apiRoute.map { ($0, apiHandler) }, uniquingKeysWith: { first, _ in first }),
            defaultHandler: defaultHandler,
            options: options
        )
    }

    /// Checks, at startup, what every request would otherwise fail on: that `env` has the KV binding the provider
    /// stores in, that the binding commits atomically (``WorkersKV/KVAtomicNamespace``), without which two
    /// requests could both redeem one code, and, with JWT access tokens, that the secret their signing keys are
    /// encrypted under is set (``AccessTokenSigning/encryptionKeyName``). Call it where the worker is built, so a misconfigured deployment does not
    /// start instead of answering every request with `server_error`.
    /// - Throws: ``OAuthProviderError`` naming the missing or unsuitable binding.
    public func checkEnvironment(_ env: Env) throws(OAuthProviderError) {
        _ = try components.store(env)
        // JWT access tokens: the secret their signing keys are encrypted under.
        if let signingKeys = components.signingKeys { _ = try signingKeys.secret(env) }
    }

    /// The helpers over `env`'s KV binding, for use outside a request (the anchor's `getOAuthApi`).
    /// - Throws: ``OAuthProviderError`` when the KV binding is missing or cannot commit atomically.
    public func helpers(env: Env) throws(OAuthProviderError) -> OAuthHelpers {
        OAuthHelpers(components: components, store: try components.store(env), secrets: env.secrets)
    }

    /// The helpers for `options` over `env`'s KV binding, without building a provider.
    /// - Throws: ``OAuthProviderError`` for invalid options or a missing or non-atomic KV binding.
    public static func helpers(env: Env, options: Options) throws(OAuthProviderError) -> OAuthHelpers {
        try options.validate()
        let components = ProviderComponents(options: options)
        return OAuthHelpers(components: components, store: try components.store(env), secrets: env.secrets)
    }

    /// Serves one request, in one direction: the provider's own endpoints, else a protected API route (the bearer
    /// guard, then its handler with the grant's props), else the default handler. CORS wraps the first two. The
    /// helpers are `env.oauthProvider` for whatever handler runs. The response names its route for metrics
    /// (``WorkersRuntime/Response/metricsRoute``): `metadata`, `token`, `register`, `introspect`, `api`, `authorize` (the default
    /// handler at ``Options/authorizeEndpoint``) or `default`, unless a handler named it.
    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        let store: OAuthStore
        do { store = try components.store(env) } catch {
            options.logger.error("OAuth provider misconfigured", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            return OAuthError.serverError.response
        }
        let components = components
        return try await OAuthHelpers.$current.withValue(OAuthHelpers(components: components, store: store, secrets: env.secrets)) {
            if let endpoint = ProviderEndpoint(request: request, options: options) {
                var response = await CORS.around(request) { await components.respond(to: request, endpoint: endpoint, store: store, env: env) }
                response.metricsRoute = endpoint.metricsRoute
                return response
            }
            if let route = routes.first(where: { $0.matches(request) }) {
                let response = try await CORS.around(request) {
                    switch await components.bearerGuard.check(request, env: env, store: store, resource: route.resource) {
                    case .deny(let response): return response
                    case .allow(let props, let token):
                        do {
                            return try await route.handler.fetch(request, env: env, ctx: ctx.with(props: props, accessToken: token))
                        } catch let error as InsufficientScopeError {
                            let target = OAuthBearerGuard.Target(request: request, resource: route.resource, declared: options.resources.declared)
                            return await components.bearerGuard.insufficientScope(target, error)
                        }
                    }
                }
                return Self.named(response, "api")
            }
            let response = try await defaultHandler.fetch(request, env: env, ctx: ctx)
            return Self.named(response, ProviderEndpoint.matches(options.authorizeEndpoint, request) ? "authorize" : "default")
        }
    }

    /// `response` with `route` as its ``WorkersRuntime/Response/metricsRoute``, unless its handler named one.
    private static func named(_ response: Response, _ route: StaticString) -> Response {
        guard response.metricsRoute == nil else { return response }
        var named = response
        named.metricsRoute = route
        return named
    }
}

extension Env {
    /// The OAuth helpers of the provider serving the current request (the Swift spelling of `env.OAUTH_PROVIDER`):
    /// a binding named `OAUTH_PROVIDER` if the environment has one, else those of the ``OAuthProvider`` whose
    /// default or API handler is running; `nil` outside a provider.
    public var oauthProvider: OAuthHelpers? {
        binding("OAUTH_PROVIDER", as: OAuthHelpers.self) ?? OAuthHelpers.current
    }
}
