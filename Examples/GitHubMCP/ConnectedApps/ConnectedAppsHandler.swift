import Foundation
import HTTPTypes
import Logging
import WorkersOAuthProvider
import WorkersRuntime

/// The connected-apps page: a user signs in with GitHub (the same OAuth app, its own `state`) and sees the MCP
/// clients that hold grants for them, and revokes any of them.
///
/// - `GET /apps`: the list, or a sign-in button when there is no valid session (a forged, altered or expired
///   session cookie counts as none, and is cleared).
/// - `POST /apps/sign-in`: off to GitHub; `/callback` completes it (``finishSignIn(_:env:ctx:)``).
/// - `POST /apps/revoke` (`grant_id`, `csrf_token`): revokes one of the signed-in user's grants (its tokens stop
///   working at once). No session or a bad CSRF token: 403; a grant that is not the user's: 404, nothing revoked.
/// - `POST /apps/sign-out` (`csrf_token`): clears the session cookie.
struct ConnectedAppsHandler: Sendable {
    static let path = "/apps"
    /// At most this many grants are listed (and can be revoked here); the provider's helpers reach the rest.
    static let maxListed = 1000
    static let maxGrantIDBytes = 256

    /// Seals the session cookie (its own HKDF purpose, ``AppsSessionCookie/purpose``).
    let sessionCookies: SealedCookie
    /// Whether GitHub is the built-in development identity.
    let development: Bool

    /// The user-facing name of the identity provider.
    var upstreamName: String { development ? "the GitHub stand-in (development identity)" : "GitHub" }

    /// Answers a request for the page, or `nil` for any other path.
    func handle(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response? {
        switch (request.method, request.path) {
        case (.get, Self.path): return try await page(request, env: env)
        case (.post, Self.path + "/sign-in"): return try await startSignIn(request, env: env)
        case (.post, Self.path + "/revoke"): return try await revoke(request, env: env, ctx: ctx)
        case (.post, Self.path + "/sign-out"): return try signOut(request)
        default: return nil
        }
    }

    func sessions(_ request: Request) -> AppsSessionCookie {
        AppsSessionCookie(cookies: sessionCookies, secure: request.url.scheme == "https")
    }

    // MARK: - The page

    private func page(_ request: Request, env: Env) async throws -> Response {
        let sessions = sessions(request)
        guard let session = sessions.session(in: request) else {
            var response = ConnectedAppsPage.signIn(upstreamName: upstreamName)
            if sessions.isPresent(in: request) { response.setCookie(sessions.clearingCookie) }
            return response
        }
        let apps = try await Self.connectedApps(of: session.userID, helpers: GitHubAuthHandler.helpers(env))
        return ConnectedAppsPage(login: session.login, apps: apps, csrfToken: session.csrfToken).response
    }

    /// The grants of `userID`, newest first, with their clients' names (a client whose metadata document cannot be
    /// fetched is listed by its id).
    static func connectedApps(of userID: String, helpers: OAuthHelpers) async throws -> [ConnectedApp] {
        let grants = try await ListResult.collect(upTo: maxListed) { try await helpers.listUserGrants(userID, cursor: $0) }
        var clients: [String: ClientInfo?] = [:]
        for clientID in Set(grants.map(\.clientID)) {
            do {
                clients[clientID] = .some(try await helpers.lookupClient(clientID))
            } catch is CIMDFetchError {
                clients[clientID] = .some(nil)
            }
        }
        return grants
            .map { ConnectedApp($0, client: clients[$0.clientID] ?? nil) }
            .sorted { ($0.createdAt, $0.grantID) > ($1.createdAt, $1.grantID) }
    }

    // MARK: - Forms

    /// The signed-in session of a form post whose CSRF token matches it, or the 403 to answer.
    private func checkedSession(_ request: Request, form: URLEncodedForm) -> Result<AppsSession, Refusal> {
        guard let session = sessions(request).session(in: request) else {
            return .failure(Refusal(ConnectedAppsPage.message(
                "Signed out", "Your session has expired or you are not signed in. Sign in again and retry.", status: .forbidden)))
        }
        guard session.accepts(csrfToken: form["csrf_token"]) else {
            return .failure(Refusal(ConnectedAppsPage.message(
                "Request refused", "This form did not come from your connected-apps page. Reload the page and retry.", status: .forbidden)))
        }
        return .success(session)
    }

    private func revoke(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        guard let form = try? request.form() else {
            return ConnectedAppsPage.message("Bad request", "The form could not be read.", status: .badRequest)
        }
        let session: AppsSession
        switch checkedSession(request, form: form) {
        case .success(let checked): session = checked
        case .failure(let refusal): return refusal.response
        }
        guard let grantID = form["grant_id"], !grantID.isEmpty, grantID.utf8.count <= Self.maxGrantIDBytes else {
            return ConnectedAppsPage.message("Bad request", "No connected app was named.", status: .badRequest)
        }
        let helpers = try GitHubAuthHandler.helpers(env)
        // Only a grant listed under the session's own user is revoked; any other id is simply not found.
        guard let app = try await Self.connectedApps(of: session.userID, helpers: helpers).first(where: { $0.grantID == grantID }) else {
            return ConnectedAppsPage.message(
                "Not found", "You have no connected app with this id (it may have been revoked already).", status: .notFound)
        }
        try await helpers.revokeGrant(grantID, userID: session.userID)
        ctx.logger.notice(
            "github-mcp: connected apps: grant revoked",
            metadata: [
                "login": "\(session.login.escapedForLog)", "grant": "\(grantID.escapedForLog)",
                "client": "\(app.clientID.escapedForLog)",
            ]
        )
        return try Response.redirect(Self.path, status: .seeOther)
    }

    private func signOut(_ request: Request) throws -> Response {
        guard let form = try? request.form() else {
            return ConnectedAppsPage.message("Bad request", "The form could not be read.", status: .badRequest)
        }
        if case .failure(let refusal) = checkedSession(request, form: form) { return refusal.response }
        var response = try Response.redirect(Self.path, status: .seeOther)
        response.setCookie(sessions(request).clearingCookie)
        return response
    }

    /// A refused form post, as an error so it fits `Result`.
    struct Refusal: Error {
        let response: Response
        init(_ response: Response) { self.response = response }
    }
}
