import Foundation
import Hummingbird
import Logging
import WorkersHummingbird
import WorkersOAuthProvider
import WorkersRuntime

/// A Hummingbird 2 app whose own `/api/...` routes are protected by the OAuth provider running as middleware:
/// clients register at `/register`, users approve them at the app's `/authorize` page, tokens come from `/token`,
/// and `/api/me` answers with the grant's props. `/api/worker` is a Worker mounted in the same router; `/health`
/// needs no token.
enum HummingbirdApp {
    /// The provider's endpoints and the routes it protects.
    static let options = OAuthProvider.Options(
        authorizeEndpoint: "/authorize", tokenEndpoint: "/token", clientRegistrationEndpoint: "/register",
        scopesSupported: ["profile"])
    static let protectedRoutes = ["/api"]

    /// The router: the provider first (router-level, so it sees its own endpoints), then the app's routes.
    /// - Parameters:
    ///   - env: Binds the provider's KV namespace (`OAUTH_KV`).
    ///   - options: The provider's options (tests inject a clock).
    ///   - configuration: The public origin and body limit.
    static func router(
        env: Env, options: OAuthProvider.Options = options, configuration: WorkerBridgeConfiguration = .init()
    ) throws -> Router<BasicOAuthRequestContext> {
        let oauth = try OAuthProviderMiddleware<BasicOAuthRequestContext>(
            protecting: protectedRoutes, options: options, env: env, configuration: configuration)
        let router = Router(context: BasicOAuthRequestContext.self)
        router.add(middleware: oauth)

        router.get("/health") { _, _ in "ok\n" }
        ConsentRoutes(oauth: oauth).add(to: router)

        // Protected: the middleware let the request through only with a valid token, and set the grant's props.
        router.get("/api/me") { _, context -> Hummingbird.Response in
            guard let props = context.oauthProps else { throw HTTPError(.unauthorized) }
            return Hummingbird.Response.jsonBody(["user": props])
        }
        // A Worker mounted under the protected prefix: it sees the same props in ctx.props.
        router.addWorker(PropsEchoWorker(), env: env, at: "/api/worker", configuration: configuration)
        return router
    }
}

/// A tiny Worker: answers with the props of the token its request carried.
struct PropsEchoWorker: FetchHandling {
    func fetch(_ request: WorkersRuntime.Request, env: Env, ctx: ExecutionContext) async throws -> WorkersRuntime.Response {
        let body: JSONValue = ["worker": "PropsEchoWorker", "path": .string(request.path), "props": ctx.props ?? .null]
        return try .json(body)
    }
}

extension Hummingbird.Response {
    /// A JSON response.
    static func jsonBody(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Hummingbird.Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Hummingbird.Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.jsonString)))
    }
}
