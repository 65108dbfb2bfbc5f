import Foundation
package import HTTPTypes
import Logging
package import WorkersRuntime

extension OAuthProvider {
    /// Where a request belongs, for a host that runs the provider in front of its own router (WorkersHummingbird):
    /// decided from the method, URL and headers alone, so a protected route's body is never read here.
    package enum HostedRoute: Sendable, Equatable {
        /// One of the provider's own endpoints (metadata, token, registration): ``answerEndpoint(_:env:)`` serves it.
        case endpoint
        /// Under one of the provider's API routes: ``admit(_:env:)`` checks its token.
        case protected
        /// Anything else (the application's authorization page and its public routes).
        case unmatched
    }

    /// What ``admit(_:env:)`` decided for a request under an API route.
    package enum Admission: Sendable {
        /// Run the route with the grant's props; add the provider's CORS headers to its answer (``corsHeaders(_:status:request:)``).
        case admitted(props: JSONValue?, token: AccessTokenInfo?)
        /// Answer with this (a 401 with the `WWW-Authenticate` challenge, a CORS preflight's 204, a 5xx).
        case answered(Response)
    }

    /// A provider whose API routes (`hostedRoutes`, prefixes as in ``init(apiHandlers:defaultHandler:options:)``) and
    /// authorization page are served by the host's own router: only ``hostedRoute(_:)``, ``answerEndpoint(_:env:)``
    /// and ``admit(_:env:)`` are meant to be called. Its ``fetch(_:env:ctx:)`` answers the host's routes 404.
    package init(hostedRoutes: [String], options: Options) throws(OAuthProviderError) {
        let hosted = FetchHandler { _, _, _ in .text("Not Found\n", status: .notFound) }
        try self.init(apiRoute: hostedRoutes, apiHandler: hosted, defaultHandler: hosted, options: options)
    }

    /// Where `request` belongs: the same matching ``fetch(_:env:ctx:)`` uses.
    package func hostedRoute(_ request: Request) -> HostedRoute {
        if ProviderEndpoint(request: request, options: options) != nil { return .endpoint }
        if routes.contains(where: { $0.matches(request) }) { return .protected }
        return .unmatched
    }

    /// The provider's answer at one of its own endpoints, with CORS, exactly as ``fetch(_:env:ctx:)`` answers it.
    package func answerEndpoint(_ request: Request, env: Env) async -> Response {
        guard let endpoint = ProviderEndpoint(request: request, options: options) else {
            return OAuthError(.invalidRequest, description: "Not an OAuth endpoint", status: .notFound).response
        }
        let store: OAuthStore
        do { store = try components.store(env) } catch {
            options.logger.error("OAuth provider misconfigured", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            return OAuthError.serverError.response
        }
        let components = components
        return await CORS.around(request) { await components.respond(to: request, endpoint: endpoint, store: store, env: env) }
    }

    /// The bearer-token check of an API route (RFC 6750), as ``fetch(_:env:ctx:)`` makes it before running the route's
    /// handler; a CORS preflight is answered without one.
    package func admit(_ request: Request, env: Env) async -> Admission {
        if request.method == .options { return .answered(CORS.apply(to: Response(status: .noContent), request: request)) }
        let store: OAuthStore
        do { store = try components.store(env) } catch {
            options.logger.error("OAuth provider misconfigured", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            return .answered(OAuthError.serverError.response)
        }
        switch await components.bearerGuard.check(request, env: env, store: store, resource: options.resources.entries.first) {
        case .allow(let props, let token): return .admitted(props: props, token: token)
        case .deny(let response): return .answered(CORS.apply(to: response, request: request))
        }
    }

    /// The CORS headers the provider adds to an API route's answer with `status` to `request`: `headers` with them
    /// added (unchanged when the request has no `Origin`).
    package static func corsHeaders(_ headers: HTTPFields, status: HTTPResponse.Status, request: Request) -> HTTPFields {
        CORS.apply(to: Response(status: status, headers: headers), request: request).headers
    }
}
