import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// An OAuth 2.1 authorization server and protected resource, as a Worker (a port of Cloudflare's
/// `workers-oauth-provider`).
///
/// Requests to an API route need a valid access token and reach their handler with the grant's decrypted props in
/// `ctx.props`; the provider serves its own endpoints (metadata, token, revocation, registration); everything else,
/// including the application's `/authorize` page, goes to the default handler, which finds the helpers at
/// `env.oauthProvider`.
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
    public let options: Options
    let routes: [APIRoute]
    let defaultHandler: any FetchHandling
    let rateLimiters: ProviderRateLimiters

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
        var routes: [APIRoute] = []
        for (pattern, handler) in apiHandlers {
            routes.append(try APIRoute(pattern, handler: handler))
        }
        self.routes = routes.sorted { $0.path.count > $1.path.count }
        self.defaultHandler = defaultHandler
        self.options = options
        self.rateLimiters = ProviderRateLimiters(options: options)
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

    /// The helpers over `env`'s KV binding, for use outside a request (the anchor's `getOAuthApi`).
    /// - Throws: ``OAuthProviderError`` when the KV binding is missing.
    public func helpers(env: Env) throws(OAuthProviderError) -> OAuthHelpers {
        guard let kv = env.kv(options.kvBinding) else {
            throw OAuthProviderError("KV binding \"\(options.kvBinding)\" is missing from the environment")
        }
        return OAuthHelpers(options: options, kv: kv, rateLimiters: rateLimiters)
    }

    /// The helpers for `options` over `env`'s KV binding, without building a provider.
    public static func helpers(env: Env, options: Options) throws(OAuthProviderError) -> OAuthHelpers {
        try options.validate()
        guard let kv = env.kv(options.kvBinding) else {
            throw OAuthProviderError("KV binding \"\(options.kvBinding)\" is missing from the environment")
        }
        return OAuthHelpers(options: options, kv: kv)
    }

    /// Serves one request: provider endpoints, protected API routes, or the default handler.
    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        let helpers: OAuthHelpers
        do {
            helpers = try self.helpers(env: env)
        } catch {
            options.logger.error("OAuth provider misconfigured", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            return ProviderResponses.serverError()
        }
        let route = routes.first { $0.matches(request) }
        let endpoint = ProviderEndpoint(request: request, options: options)

        if request.method == .options, route != nil || endpoint != nil {
            return CORS.apply(to: Response(status: .noContent), request: request)
        }
        if let endpoint {
            let response = await helpers.respond(to: request, endpoint: endpoint)
            return CORS.apply(to: response, request: request)
        }
        var env = env
        if env.bindings["OAUTH_PROVIDER"] == nil { env.bindings["OAUTH_PROVIDER"] = helpers }
        if let route {
            switch await helpers.authenticate(request, env: env) {
            case .failure(let response):
                return CORS.apply(to: response, request: request)
            case .success(let props):
                let response = try await route.handler.fetch(request, env: env, ctx: ctx.with(props: props))
                return CORS.apply(to: response, request: request)
            }
        }
        return try await defaultHandler.fetch(request, env: env, ctx: ctx)
    }
}

extension Env {
    /// The OAuth helpers the provider installs before it calls the default or an API handler (the Swift spelling of
    /// `env.OAUTH_PROVIDER`); `nil` outside a provider.
    public var oauthProvider: OAuthHelpers? {
        binding("OAUTH_PROVIDER", as: OAuthHelpers.self)
    }
}
