import Foundation
import HTTPTypes
import Synchronization
import Testing
import WorkersRuntime
import WorkersTesting

@testable import GitHubMCP

/// What keeps the connected-apps page safe: CSRF tokens, sealed sessions, and grants scoped to their own user.
@Suite("GitHubMCP connected apps security")
struct ConnectedAppsSecurityTests {
    typealias Steps = ConnectedAppsSteps
    /// The harness's `COOKIE_ENCRYPTION_KEY`.
    static let cookieKey = String(repeating: "c", count: 40)

    @Test("a revoke with a missing, wrong or another session's CSRF token, or with no session, is a 403 and revokes nothing")
    func csrf() async throws {
        let harness = try await GitHubMCPHarness.start()
        let alpha = try await Steps.connect(harness, name: "Alpha", as: "dev-user")
        let browser = Browser()
        let (_, page) = try await Steps.signIn(harness, browser, as: "dev-user")
        let alphaRow = try #require(Steps.row(page.text, naming: "Alpha"))
        let grantID = try #require(Browser.hiddenField("grant_id", in: alphaRow))
        let csrf = try #require(Browser.hiddenField("csrf_token", in: page.text))
        // The same user signed in in another browser: a valid token, of another session.
        let (_, otherPage) = try await Steps.signIn(harness, Browser(), as: "dev-user")
        let otherCSRF = try #require(Browser.hiddenField("csrf_token", in: otherPage.text))
        #expect(otherCSRF != csrf)

        let revokeURL = harness.server.url("/apps/revoke")
        let missing = try await browser.post(revokeURL, form: [("grant_id", grantID)])
        let empty = try await browser.post(revokeURL, form: [("grant_id", grantID), ("csrf_token", "")])
        let wrong = try await browser.post(revokeURL, form: [("grant_id", grantID), ("csrf_token", String(csrf.reversed()))])
        let otherSession = try await browser.post(revokeURL, form: [("grant_id", grantID), ("csrf_token", otherCSRF)])
        let noSession = try await Browser().post(revokeURL, form: [("grant_id", grantID), ("csrf_token", csrf)])
        let signOut = try await browser.post(harness.server.url("/apps/sign-out"), form: [("csrf_token", "forged")])
        let malformed = try await harness.http.send(
            .post, revokeURL, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "grant_id=%ZZ")
        let status = try await Steps.mcpStatus(harness, token: alpha.access)
        let still = try await browser.get(harness.server.url("/apps"))
        try await harness.stop()

        for response in [missing, empty, wrong, otherSession, noSession, signOut] { #expect(response.status == 403) }
        #expect(malformed.status == 400)
        #expect(status == 200, "nothing was revoked")
        #expect(Steps.row(still.text, naming: "Alpha") != nil)
        #expect(browser.cookies["mcp-apps-session"] != nil, "a forged sign-out does not sign out")
    }

    @Test("another user's grant id is a 404 and stays; an unknown id is a 404")
    func someoneElsesGrant() async throws {
        let harness = try await GitHubMCPHarness.start()
        let octo = try await Steps.connect(harness, name: "Octo's app", as: "octo")
        _ = try await Steps.connect(harness, name: "Mine", as: "dev-user")
        let (_, octoPage) = try await Steps.signIn(harness, Browser(), as: "octo")
        let octoRow = try #require(Steps.rows(octoPage.text).first)
        let octoGrant = try #require(Browser.hiddenField("grant_id", in: octoRow))
        let browser = Browser()
        let (_, page) = try await Steps.signIn(harness, browser, as: "dev-user")
        let csrf = try #require(Browser.hiddenField("csrf_token", in: page.text))

        let revokeURL = harness.server.url("/apps/revoke")
        let foreign = try await browser.post(revokeURL, form: [("grant_id", octoGrant), ("csrf_token", csrf)])
        let unknown = try await browser.post(revokeURL, form: [("grant_id", "no-such-grant"), ("csrf_token", csrf)])
        let traversal = try await browser.post(revokeURL, form: [("grant_id", "x:\(octoGrant)"), ("csrf_token", csrf)])
        let huge = try await browser.post(revokeURL, form: [("grant_id", String(repeating: "g", count: 10_000)), ("csrf_token", csrf)])
        let octoStatus = try await Steps.mcpStatus(harness, token: octo.access)
        let (_, octoAfter) = try await Steps.signIn(harness, Browser(), as: "octo")
        try await harness.stop()

        #expect(foreign.status == 404)
        #expect(unknown.status == 404)
        #expect(traversal.status == 404)
        #expect(huge.status == 400)
        #expect(octoStatus == 200, "octo's client keeps working")
        #expect(Steps.rows(octoAfter.text).count == 1)
    }

    @Test("a forged, altered, expired or re-purposed session cookie counts as signed out, and is cleared")
    func forgedSessions() async throws {
        let harness = try await GitHubMCPHarness.start()
        _ = try await Steps.connect(harness, name: "Alpha", as: "dev-user")
        let browser = Browser()
        try await Steps.signIn(harness, browser, as: "dev-user")
        let genuine = try #require(browser.cookies["mcp-apps-session"])

        let past = Mutex(Date().addingTimeInterval(-2 * AppsSessionCookie.lifetime))
        let expiredSeal = try SealedCookie(secret: Self.cookieKey, purpose: AppsSessionCookie.purpose, now: { past.withLock { $0 } })
        let expired = try AppsSessionCookie(cookies: expiredSeal, secure: false)
            .cookie(for: AppsSession(userID: "1", login: "dev-user")).value
        // The approval cookie's key (the default purpose) sealing a session under the session cookie's name.
        let wrongPurpose = try SealedCookie(secret: Self.cookieKey)
            .seal(AppsSession(userID: "1", login: "dev-user").json, name: "mcp-apps-session", lifetime: 3600)
        // A genuine approval cookie's value, moved to the session cookie's name.
        let approval = try SealedCookie(secret: Self.cookieKey)
            .seal([["c": "client", "s": ["mcp"]]], name: "mcp-approved-clients", lifetime: 3600)
        var altered = Array(try #require(Data(base64URLEncoded: genuine)))
        altered[altered.count / 2] ^= 1
        let forgeries = [
            "forged", expired, wrongPurpose, approval, Data(altered).base64URLEncodedString(),
        ]
        var pages: [TestClient.Response] = []
        for value in forgeries {
            pages.append(try await harness.http.send(.get, harness.server.url("/apps"), headers: [("Cookie", "mcp-apps-session=\(value)")]))
        }
        let real = try await harness.http.send(.get, harness.server.url("/apps"), headers: [("Cookie", "mcp-apps-session=\(genuine)")])
        try await harness.stop()

        for page in pages {
            #expect(page.status == 200)
            #expect(page.text.contains("Sign in with GitHub"))
            #expect(!page.text.contains("Alpha"))
            #expect(Steps.setCookie(page, "mcp-apps-session")?.contains("Max-Age=0") == true)
        }
        #expect(Steps.row(real.text, naming: "Alpha") != nil, "the genuine cookie, sent the same way, works")
    }

    @Test("the session cookie is sealed, HttpOnly, SameSite=Lax, an hour long, and __Host- and Secure over HTTPS")
    func cookieAttributes() async throws {
        let harness = try await GitHubMCPHarness.start()
        let browser = Browser()
        let started = try await browser.post(harness.server.url("/apps/sign-in"), form: [])
        let (callback, _) = try await Steps.signIn(harness, Browser(), as: "dev-user")
        try await harness.stop()

        let state = try #require(Steps.setCookie(started, "mcp-apps-state"))
        #expect(state.contains("HttpOnly"))
        #expect(state.contains("SameSite=Lax"))
        let session = try #require(Steps.setCookie(callback, "mcp-apps-session"))
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=3600"] { #expect(session.contains(attribute)) }
        #expect(!session.contains("Secure"), "plain http on loopback")
        #expect(!session.contains("dev-user"), "the login is sealed")
        #expect(Steps.setCookie(callback, "mcp-apps-state")?.contains("Max-Age=0") == true, "the state is cleared")

        let secure = AppsSessionCookie(cookies: try SealedCookie(secret: Self.cookieKey, purpose: AppsSessionCookie.purpose), secure: true)
        let cookie = try secure.cookie(for: AppsSession(userID: "1", login: "dev-user"))
        #expect(cookie.name == "__Host-mcp-apps-session")
        #expect(cookie.secure && cookie.httpOnly && cookie.path == "/" && cookie.domain == nil)
        #expect(cookie.sameSite == .lax)
    }
}
