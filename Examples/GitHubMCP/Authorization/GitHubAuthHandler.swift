import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime

/// The app-owned half of the flow (the provider's default handler): `/authorize` with its consent page, the trip to
/// GitHub, and `/callback`, which completes the authorization with GitHub's identity and token as props. The
/// connected-apps page (``ConnectedAppsHandler``, `/apps`) is served here too, and signs in through `/callback`.
struct GitHubAuthHandler: FetchHandling {
    /// The built-in stand-in, when no GitHub credentials are configured.
    let development: DevelopmentIdentity?
    /// Seals the approval cookie.
    let cookies: SealedCookie
    /// The GitHub scopes asked for.
    let githubScope: String
    /// The connected-apps page.
    let connectedApps: ConnectedAppsHandler

    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        if let development, let response = try await development.handle(request, env: env, ctx: ctx) {
            return response
        }
        if let response = try await connectedApps.handle(request, env: env, ctx: ctx) { return response }
        switch (request.method, request.path) {
        case (.get, "/authorize"): return try await authorize(request, env: env)
        case (.post, "/authorize"): return try await decide(request, env: env)
        case (.get, "/callback"): return try await callback(request, env: env, ctx: ctx)
        case (.get, "/"): return LandingPage(origin: request.origin, development: development != nil).response
        default: return Response.text("Not found", status: .notFound)
        }
    }

    // MARK: - /authorize

    private func authorize(_ request: Request, env: Env) async throws -> Response {
        let helpers = try Self.helpers(env)
        let authRequest: AuthRequest
        do {
            authRequest = try await helpers.parseAuthRequest(request)
        } catch let error as AuthorizationError {
            // No redirect before the user has acted for a client that registered itself (RFC 9700 §4.11.2):
            // `redirectLocation` is nil then, and the error is shown here.
            if let location = error.redirectLocation { return try Response.redirect(location) }
            return ErrorPage.response(
                "This authorization request is invalid: \(error.errorDescription)",
                status: error.code == .temporarilyUnavailable ? .tooManyRequests : .badRequest
            )
        }
        guard let client = try await helpers.lookupClient(authRequest.clientID) else {
            return ErrorPage.response("Unknown client.", status: .badRequest)
        }
        let secure = request.url.scheme == "https"
        if ApprovedClients(cookies: cookies, secure: secure).isApproved(client.clientID, scopes: authRequest.scope, in: request) {
            return try await redirectToGitHub(authRequest, request: request, env: env)
        }
        let pending = try Self.pending(env, secure: secure)
        let (token, cookie) = try await pending.start(.consent, payload: try JSONValue(encoding: authRequest))
        var response = ConsentPage(
            clientName: client.clientName ?? client.clientID,
            clientID: client.clientID,
            clientURI: client.clientURI,
            metadataDocumentHost: client.isMetadataDocumentClient ? URLComponents(string: client.clientID)?.host : nil,
            redirectsOnlyToLoopback: client.redirectURIs.allSatisfy { uri in
                guard let host = URLComponents(string: uri)?.host else { return false }
                return host.lowercased() == "localhost" || IPAddress(host)?.isLoopback == true
            },
            redirectURI: authRequest.redirectURI,
            scopes: authRequest.scope,
            consentToken: token,
            upstreamName: development == nil ? "GitHub" : "the GitHub stand-in (development identity)"
        ).response
        response.setCookie(cookie)
        return response
    }

    /// The consent form's Approve or Deny.
    private func decide(_ request: Request, env: Env) async throws -> Response {
        let secure = request.url.scheme == "https"
        let pending = try Self.pending(env, secure: secure)
        guard let form = try? request.form() else {
            return ErrorPage.response("The consent form could not be read.", status: .badRequest)
        }
        guard let payload = try await pending.take(.consent, token: form["consent_token"], request: request),
            let authRequest = try? payload.decode(as: AuthRequest.self)
        else {
            return ErrorPage.response(
                "This consent page has expired, was already used, or was opened in another browser. Start again from your MCP client.",
                status: .badRequest
            )
        }
        guard form["decision"] == "approve" else {
            return try Self.accessDenied(authRequest, "The user denied the request", clearing: pending.clearingCookie(.consent))
        }
        var response = try await redirectToGitHub(authRequest, request: request, env: env)
        response.setCookie(
            try ApprovedClients(cookies: cookies, secure: secure)
                .cookie(approving: authRequest.clientID, scopes: authRequest.scope, in: request)
        )
        response.setCookie(pending.clearingCookie(.consent))
        return response
    }

    /// Sends the browser to GitHub with a fresh `state` bound to this browser and to the pending request.
    private func redirectToGitHub(_ authRequest: AuthRequest, request: Request, env: Env) async throws -> Response {
        let pending = try Self.pending(env, secure: request.url.scheme == "https")
        let (state, cookie) = try await pending.start(.state, payload: try JSONValue(encoding: authRequest))
        let github = try GitHubClient(env: env)
        let location = github.authorizeURL(
            redirectURI: request.origin + "/callback",
            state: state,
            scope: Self.githubScope(githubScope, for: authRequest.scope),
            browserBase: development == nil ? nil : DevelopmentIdentity.browserBase(origin: request.origin)
        )
        var response = try Response.redirect(location)
        response.setCookie(cookie)
        return response
    }

    /// The GitHub scopes to ask for: `base`, plus `public_repo` when the MCP client asked for ``GitHubTools/writeScope``
    /// (commenting needs it on GitHub).
    static func githubScope(_ base: String, for mcpScopes: [String]) -> String {
        guard mcpScopes.contains(GitHubTools.writeScope), !base.split(separator: " ").contains("public_repo") else { return base }
        return base.isEmpty ? "public_repo" : base + " public_repo"
    }

    // MARK: - /callback

    private func callback(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        if let response = try await connectedApps.finishSignIn(request, env: env, ctx: ctx) { return response }
        let pending = try Self.pending(env, secure: request.url.scheme == "https")
        guard let payload = try await pending.take(.state, token: request.query("state"), request: request),
            let authRequest = try? payload.decode(as: AuthRequest.self)
        else {
            var response = ErrorPage.response(
                "The sign-in state is missing, expired, already used, or belongs to another browser. Nothing was authorized.",
                status: .badRequest
            )
            response.setCookie(pending.clearingCookie(.state))
            return response
        }
        if let error = request.query("error") {
            return try Self.accessDenied(
                authRequest, "GitHub sign-in was not completed (\(error))", clearing: pending.clearingCookie(.state)
            )
        }
        guard let code = request.query("code"), !code.isEmpty else {
            return ErrorPage.response("GitHub sent no code.", status: .badRequest)
        }
        let github = try GitHubClient(env: env)
        let props: GitHubProps
        let userID: String
        do {
            let token = try await github.exchangeCode(code, redirectURI: request.origin + "/callback")
            let user = try await github.user(token: token)
            props = GitHubProps(login: user.login, name: user.name, email: user.email, accessToken: token)
            userID = String(user.id)
        } catch {
            ctx.logger.warning("GitHub sign-in failed", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            return ErrorPage.response("Signing in with GitHub failed. Try again from your MCP client.", status: .badGateway)
        }
        let completed: CompletedAuthorization
        do {
            completed = try await Self.helpers(env).completeAuthorization(
                CompleteAuthorizationOptions(
                    request: authRequest,
                    userID: userID,
                    metadata: ["label": .string(props.login)],
                    scope: authRequest.scope,
                    props: try props.json
                )
            )
        } catch {
            ctx.logger.warning("Completing the authorization failed", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            return ErrorPage.response("The authorization could not be completed. Start again from your MCP client.", status: .badRequest)
        }
        var response = try Response.redirect(completed.redirectTo)
        response.setCookie(pending.clearingCookie(.state))
        return response
    }

    // MARK: - Helpers

    /// The `access_denied` redirect back to the client (with its `state` and `iss`), clearing the flow's cookie.
    static func accessDenied(_ authRequest: AuthRequest, _ description: String, clearing cookie: Cookie) throws -> Response {
        let denied = AuthorizationError(
            .accessDenied, description: description,
            redirectURI: authRequest.redirectURI, state: authRequest.state, issuer: authRequest.issuer
        )
        var response = try Response.redirect(denied.redirectLocation ?? authRequest.redirectURI)
        response.setCookie(cookie)
        return response
    }

    static func helpers(_ env: Env) throws -> OAuthHelpers {
        guard let helpers = env.oauthProvider else { throw GitHubMCPError("The OAuth provider's helpers are missing from env") }
        return helpers
    }

    static func pending(_ env: Env, secure: Bool) throws -> PendingAuthorizations {
        guard let kv = env.kv("OAUTH_KV") else { throw GitHubMCPError("The OAUTH_KV binding is missing (see wrangler.toml)") }
        return PendingAuthorizations(kv: kv, secure: secure)
    }
}
