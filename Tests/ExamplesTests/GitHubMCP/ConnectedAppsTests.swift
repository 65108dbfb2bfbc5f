import Foundation
import HTTPTypes
import Testing
import WorkersRuntime
import WorkersTesting

@testable import GitHubMCP

/// The connected-apps page (`/apps`) over real sockets, against a fake GitHub: signing in, the list, revoking.
@Suite("GitHubMCP connected apps")
struct ConnectedAppsTests {
    typealias Steps = ConnectedAppsSteps

    @Test("signed out, /apps offers a GitHub sign-in; signed in, it lists exactly the user's MCP clients; the landing page links to it")
    func signInAndList() async throws {
        let harness = try await GitHubMCPHarness.start()
        let start = Date()
        let alpha = try await Steps.connect(harness, name: "Alpha <b>client</b>", as: "dev-user")
        _ = try await Steps.connect(harness, name: "Beta", as: "dev-user")
        _ = try await Steps.connect(harness, name: "Octo's own app", as: "octo")
        let browser = Browser()

        let signedOut = try await browser.get(harness.server.url("/apps"))
        #expect(signedOut.status == 200)
        #expect(signedOut.text.contains(#"<form method="post" action="/apps/sign-in">"#))
        #expect(signedOut.text.contains("Sign in with GitHub"))
        #expect(!signedOut.text.contains("<table>"))
        #expect(signedOut.header("X-Frame-Options") == "DENY")
        #expect(signedOut.header("Cache-Control") == "no-store")

        let (_, page) = try await Steps.signIn(harness, browser, as: "dev-user")
        let landing = try await browser.get(harness.server.url("/"))
        try await harness.stop()

        #expect(page.status == 200)
        #expect(page.text.contains("@dev-user"))
        #expect(Steps.rows(page.text).count == 2)
        let row = try #require(Steps.row(page.text, naming: "Alpha &lt;b&gt;client&lt;/b&gt;"))
        #expect(!page.text.contains("<b>client</b>"))
        #expect(row.contains(HTML.escape(alpha.clientID)))
        #expect(row.contains("<code>http://127.0.0.1:9</code>"), "the redirect URI's host")
        #expect(row.contains("<code>mcp</code>"))
        #expect(Self.days(from: start).contains { row.contains($0) }, "created today")
        #expect(Steps.row(page.text, naming: "Beta") != nil)
        #expect(!page.text.contains("Octo"), "another user's client is not listed")
        #expect(landing.text.contains(#"<a href="/apps">Connected apps</a>"#))
    }

    @Test("Revoke removes the grant: its access token gets 401 at once, its refresh token is dead, the others keep working")
    func revoke() async throws {
        let harness = try await GitHubMCPHarness.start()
        let alpha = try await Steps.connect(harness, name: "Alpha", as: "dev-user")
        let beta = try await Steps.connect(harness, name: "Beta", as: "dev-user")
        #expect(try await Steps.mcpStatus(harness, token: alpha.access) == 200)
        let browser = Browser()
        let (_, page) = try await Steps.signIn(harness, browser, as: "dev-user")
        let row = try #require(Steps.row(page.text, naming: "Alpha"))
        let grantID = try #require(Browser.hiddenField("grant_id", in: row))
        let csrf = try #require(Browser.hiddenField("csrf_token", in: row))

        let revoked = try await browser.post(harness.server.url("/apps/revoke"), form: [("grant_id", grantID), ("csrf_token", csrf)])
        let after = try await browser.get(harness.server.url("/apps"))
        let alphaStatus = try await Steps.mcpStatus(harness, token: alpha.access)
        let refresh = try await harness.http.postForm(harness.server.url("/token"), [
            ("grant_type", "refresh_token"), ("refresh_token", alpha.refresh), ("client_id", alpha.clientID),
        ])
        let betaStatus = try await Steps.mcpStatus(harness, token: beta.access)
        let again = try await browser.post(harness.server.url("/apps/revoke"), form: [("grant_id", grantID), ("csrf_token", csrf)])
        try await harness.stop()

        #expect(revoked.status == 303)
        #expect(revoked.header("Location") == "/apps")
        #expect(Steps.row(after.text, naming: "Alpha") == nil, "gone from the page")
        #expect(Steps.row(after.text, naming: "Beta") != nil)
        #expect(alphaStatus == 401)
        #expect(refresh.status == 400)
        #expect(refresh.json?["error"] == "invalid_grant")
        #expect(betaStatus == 200)
        #expect(again.status == 404, "already revoked")
    }

    @Test("the page shows when a client last refreshed its grant")
    func lastRefreshed() async throws {
        let harness = try await GitHubMCPHarness.start()
        let start = Date()
        let alpha = try await Steps.connect(harness, name: "Alpha", as: "dev-user")
        _ = try await Steps.connect(harness, name: "Beta", as: "dev-user")
        let refreshed = try await harness.http.postForm(harness.server.url("/token"), [
            ("grant_type", "refresh_token"), ("refresh_token", alpha.refresh), ("client_id", alpha.clientID),
        ])
        #expect(refreshed.status == 200)
        let (_, page) = try await Steps.signIn(harness, Browser(), as: "dev-user")
        try await harness.stop()
        let days = Self.days(from: start)
        let cells = { (row: String) in row.components(separatedBy: "<td>").map { $0.components(separatedBy: "</td>")[0] } }
        // Cells: name, target, scopes, created, last refreshed, form.
        let alphaCells = cells(try #require(Steps.row(page.text, naming: "Alpha")))
        let betaCells = cells(try #require(Steps.row(page.text, naming: "Beta")))
        let alphaRefreshed = try #require(alphaCells.last { $0.contains("UTC") })
        #expect(days.contains { alphaRefreshed.hasPrefix($0) })
        #expect(alphaCells.filter { $0.contains("UTC") }.count == 2, "created and last refreshed")
        #expect(betaCells.filter { $0.contains("UTC") }.count == 1, "never refreshed")
        #expect(betaCells.contains("&mdash;"))
        #expect(ConnectedAppsPage.date(0) == "1970-01-01 00:00 UTC")
        #expect(ConnectedAppsPage.date(1_796_144_400) == "2026-12-01 17:00 UTC")
    }

    /// The UTC dates (`2026-12-01`) from `start` to now: one, or two across midnight.
    static func days(from start: Date) -> Set<String> {
        Set([start, Date()].map { String(ConnectedAppsPage.date(Int($0.timeIntervalSince1970)).prefix(10)) })
    }

    @Test("Sign out clears the session; the apps sign-in leaves an MCP authorization in the same browser alone")
    func signOutAndCoexistence() async throws {
        let harness = try await GitHubMCPHarness.start()
        let browser = Browser()
        let (_, page) = try await Steps.signIn(harness, browser, as: "dev-user")
        let csrf = try #require(Browser.hiddenField("csrf_token", in: page.text))
        let signedOut = try await browser.post(harness.server.url("/apps/sign-out"), form: [("csrf_token", csrf)])
        let afterwards = try await browser.get(harness.server.url("/apps"))

        // An apps sign-in left pending (its state cookie set) does not disturb an MCP client's authorization.
        _ = try await browser.post(harness.server.url("/apps/sign-in"), form: [])
        #expect(browser.cookies["mcp-apps-state"] != nil)
        let clientID = try await harness.register(name: "Gamma")
        let pkce = GitHubMCPHarness.pkce()
        let (_, final) = try await GitHubMCPTests.approveInBrowser(
            harness, browser, authorize: harness.authorizeURL(clientID: clientID, state: "g", challenge: pkce.challenge))
        let token = try await harness.token(code: try #require(final.query("code")), clientID: clientID, verifier: pkce.verifier)
        try await harness.stop()

        #expect(signedOut.status == 303)
        #expect(Steps.setCookie(signedOut, "mcp-apps-session")?.contains("Max-Age=0") == true)
        #expect(afterwards.text.contains("Sign in with GitHub"))
        #expect(browser.cookies["mcp-apps-session"] == nil)
        #expect(final.query("state") == "g")
        #expect(token.status == 200)
    }

    @Test("cancelling at GitHub signs nobody in; an apps callback opened in another browser is refused")
    func failedSignIns() async throws {
        let harness = try await GitHubMCPHarness.start()
        let browser = Browser()
        let started = try await browser.post(harness.server.url("/apps/sign-in"), form: [])
        let toGitHub = try #require(started.header("Location").flatMap(URL.init(string:)))
        let cancelled = try await browser.get(try await harness.github.approve(toGitHub, cancel: true))

        // Login CSRF: an attacker's own apps callback, opened in the victim's browser.
        let attacker = Browser()
        let attackerStart = try await attacker.post(harness.server.url("/apps/sign-in"), form: [])
        let attackerCallback = try await harness.github.approve(
            try #require(attackerStart.header("Location").flatMap(URL.init(string:))), as: "octo")
        let victim = Browser()
        let crossed = try await victim.get(attackerCallback)
        try await harness.stop()

        #expect(cancelled.status == 403)
        #expect(browser.cookies["mcp-apps-session"] == nil)
        #expect(browser.cookies["mcp-apps-state"] == nil, "the state is used up")
        #expect(crossed.status == 400)
        #expect(victim.cookies["mcp-apps-session"] == nil)
    }
}
