public import Hummingbird
public import WorkersOAuthProvider
public import WorkersRuntime
import WorkersServer

/// Runs an ``WorkersOAuthProvider/OAuthProvider`` in front of a Hummingbird app's own routes.
///
/// - The provider answers its own endpoints: the authorization server and protected resource metadata
///   (`/.well-known/...`), the token endpoint and client registration.
/// - A request under one of the `protecting` prefixes needs a valid access token: without one it gets the
///   provider's 401 with its `WWW-Authenticate` challenge (and the provider's CORS headers); with one, it reaches
///   the app's route with the grant's props in ``OAuthRequestContext/oauthProps``.
/// - Everything else, including the app's authorization page (``WorkersOAuthProvider/OAuthProvider/Options/authorizeEndpoint``),
///   goes to the app's routes untouched: that page uses ``parseAuthRequest(_:context:)`` and
///   ``helpers``' `completeAuthorization`.
///
/// Add it to the router itself, not to a group: router middleware also sees requests no route matches, which is
/// what the provider's endpoints are.
///
/// ```swift
/// let oauth = try OAuthProviderMiddleware<BasicOAuthRequestContext>(
///     protecting: ["/api"], options: .init(authorizeEndpoint: "/authorize", tokenEndpoint: "/token",
///                                          clientRegistrationEndpoint: "/register"),
///     env: env)
/// let router = Router(context: BasicOAuthRequestContext.self)
/// router.add(middleware: oauth)
/// router.get("/api/me") { _, context in context.oauthProps?["login"]?.stringValue ?? "" }
/// ```
public struct OAuthProviderMiddleware<Context: OAuthRequestContext>: RouterMiddleware {
    let provider: OAuthProvider
    let env: Env
    let bridge: EngineBridge
    /// The provider's helpers over `env`'s KV binding: `completeAuthorization`, client and grant management.
    public let helpers: OAuthHelpers

    /// Creates the middleware.
    /// - Parameters:
    ///   - routes: The app's route prefixes that need an access token (`"/api"` covers `/api` and `/api/...`), or full
    ///     URLs to also match the host, as ``WorkersOAuthProvider/OAuthProvider``'s API routes.
    ///   - options: The provider's endpoints, lifetimes and hooks.
    ///   - env: Where the provider keeps its state: `env` must bind an atomic KV namespace (`OAUTH_KV` by default,
    ///     e.g. a `SQLiteKV`); ``WorkersRuntime/Env/withBindings(of:secrets:logger:)`` builds one from a wrangler config.
    ///   - configuration: How request URLs are formed (set the public origin behind a proxy or TLS).
    /// - Throws: ``WorkersOAuthProvider/OAuthProviderError`` for invalid options or a missing or non-atomic KV binding.
    public init(
        protecting routes: [String], options: OAuthProvider.Options, env: Env,
        configuration: WorkerBridgeConfiguration = .init()
    ) throws {
        provider = try OAuthProvider(hostedRoutes: routes, options: options)
        helpers = try provider.helpers(env: env)
        self.env = env
        bridge = configuration.bridge
    }

    /// Answers the provider's endpoints, checks the token of a protected route, and passes everything else on.
    /// - Parameters:
    ///   - request: The request; its body is read only for a provider endpoint.
    ///   - context: The request context; a protected route gets it with ``OAuthRequestContext/oauthProps`` set.
    ///   - next: The rest of the router.
    public func handle(
        _ request: Hummingbird.Request, context: Context,
        next: (Hummingbird.Request, Context) async throws -> Hummingbird.Response
    ) async throws -> Hummingbird.Response {
        let peer = Self.peer(context)
        let head: WorkersRuntime.Request
        do { head = try bridge.headRequest(request, peer: peer) } catch { return EngineBridge.engineResponse(error.response) }
        switch provider.hostedRoute(head) {
        case .unmatched:
            return try await next(request, context)
        case .endpoint:
            let full: WorkersRuntime.Request
            do { full = try await bridge.workerRequest(request, peer: peer) } catch { return EngineBridge.engineResponse(error.response) }
            return EngineBridge.engineResponse(await provider.answerEndpoint(full, env: env))
        case .protected:
            switch await provider.admit(head, env: env) {
            case .answered(let response):
                return EngineBridge.engineResponse(response)
            case .admitted(let props, let token):
                var context = context
                context.oauthProps = props
                context.oauthToken = token
                var response = try await next(request, context)
                response.headers = OAuthProvider.corsHeaders(response.headers, status: response.status, request: head)
                return response
            }
        }
    }

    /// `helpers.parseAuthRequest(_:)` for the app's authorization route: parses and validates the
    /// `/authorize?response_type=code&client_id=...` request.
    /// - Throws: ``WorkersOAuthProvider/AuthorizationError`` (see `OAuthHelpers.parseAuthRequest(_:)` for how to
    ///   answer it); `HTTPError(.badRequest)` for a malformed request target or `Host` header.
    public func parseAuthRequest(_ request: Hummingbird.Request, context: Context) async throws -> AuthRequest {
        let head: WorkersRuntime.Request
        do { head = try bridge.headRequest(request, peer: Self.peer(context)) } catch {
            throw HTTPError(.badRequest, message: "malformed request target or Host header")
        }
        return try await helpers.parseAuthRequest(head)
    }

    static func peer(_ context: Context) -> String? {
        (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress
    }
}
