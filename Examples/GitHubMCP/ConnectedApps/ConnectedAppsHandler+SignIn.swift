import Foundation
import HTTPTypes
import Logging
import WorkersOAuthProvider
import WorkersRuntime

extension PendingAuthorizations.Kind {
    /// The `state` of a connected-apps sign-in: its own records and cookie, so it never completes (or clobbers) an
    /// MCP client's authorization in the same browser.
    static let appsSignIn = Self(prefix: "github-mcp:apps-state:", cookieBase: "mcp-apps-state")
}

extension ConnectedAppsHandler {
    /// The GitHub scope of the sign-in: none, since the page needs only who the user is (`GET /user`).
    static let githubScope = ""

    /// `POST /apps/sign-in`: to GitHub's login with a fresh `state` bound to this browser, coming back to
    /// `/callback` (the OAuth app's one callback URL).
    func startSignIn(_ request: Request, env: Env) async throws -> Response {
        let pending = try GitHubAuthHandler.pending(env, secure: request.url.scheme == "https")
        let (state, cookie) = try await pending.start(.appsSignIn, payload: ["for": "connected-apps"])
        let location = try GitHubClient(env: env).authorizeURL(
            redirectURI: request.origin + "/callback",
            state: state,
            scope: Self.githubScope,
            browserBase: development ? DevelopmentIdentity.browserBase(origin: request.origin) : nil
        )
        var response = try Response.redirect(location.absoluteString, status: .seeOther)
        response.setCookie(cookie)
        return response
    }

    /// `/callback` for a connected-apps sign-in: when the `state` is this browser's pending sign-in (and only
    /// then; `nil` otherwise, leaving the callback to the MCP authorization flow), exchanges the code, reads the
    /// user, and signs the browser in. GitHub's token is used for `GET /user` only, and not kept.
    func finishSignIn(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response? {
        let pending = try GitHubAuthHandler.pending(env, secure: request.url.scheme == "https")
        guard try await pending.take(.appsSignIn, token: request.query("state"), request: request) != nil else { return nil }
        var response = try await signIn(request, env: env, ctx: ctx)
        response.setCookie(pending.clearingCookie(.appsSignIn))
        return response
    }

    private func signIn(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        if let error = request.query("error") {
            return ConnectedAppsPage.message(
                "Not signed in", "Signing in with GitHub was not completed (\(error)).", status: .forbidden)
        }
        guard let code = request.query("code"), !code.isEmpty else {
            return ConnectedAppsPage.message("Not signed in", "GitHub sent no code.", status: .badRequest)
        }
        let user: GitHubUser
        do {
            let github = try GitHubClient(env: env)
            let token = try await github.exchangeCode(code, redirectURI: request.origin + "/callback")
            user = try await github.user(token: token)
        } catch {
            ctx.logger.warning(
                "Connected-apps sign-in with GitHub failed", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            return ConnectedAppsPage.message("Not signed in", "Signing in with GitHub failed. Try again.", status: .badGateway)
        }
        let session = AppsSession(userID: String(user.id), login: user.login)
        var response = try Response.redirect(Self.path, status: .seeOther)
        response.setCookie(try sessions(request).cookie(for: session))
        return response
    }
}
