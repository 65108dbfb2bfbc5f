import Foundation
import HTTPTypes
import Testing
import WorkersRuntime
import WorkersTesting

@testable import GitHubMCP

/// The steps of the connected-apps tests: an MCP client connecting as a GitHub user, and a person signing in to
/// `/apps` and reading it.
enum ConnectedAppsSteps {
    /// An MCP client registered as `name`, authorized by `login` through the whole flow.
    struct Connection {
        var clientID: String
        var access: String
        var refresh: String
    }

    static func connect(_ harness: GitHubMCPHarness, name: String, as login: String) async throws -> Connection {
        let clientID = try await harness.register(name: name)
        let pkce = GitHubMCPHarness.pkce()
        let (_, final) = try await GitHubMCPTests.approveInBrowser(
            harness, Browser(), authorize: harness.authorizeURL(clientID: clientID, state: "s", challenge: pkce.challenge), as: login)
        let code = try #require(final.query("code"))
        let json = try #require(try await harness.token(code: code, clientID: clientID, verifier: pkce.verifier).json)
        return Connection(
            clientID: clientID, access: try #require(json["access_token"]?.stringValue),
            refresh: try #require(json["refresh_token"]?.stringValue))
    }

    /// The status `/mcp` answers an `initialize` with `token`.
    static func mcpStatus(_ harness: GitHubMCPHarness, token: String) async throws -> Int {
        let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}"#
        return try await harness.http.send(
            .post, harness.mcpURL,
            headers: [
                ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"),
                ("Accept", "application/json, text/event-stream"),
            ],
            body: initialize
        ).status
    }

    /// Signs `browser` in to `/apps` as `login` (the sign-in button, GitHub's login, `/callback`); returns the
    /// callback's response (which sets the session cookie) and the page it leads to.
    @discardableResult
    static func signIn(_ harness: GitHubMCPHarness, _ browser: Browser, as login: String) async throws
        -> (callback: TestClient.Response, page: TestClient.Response)
    {
        let started = try await browser.post(harness.server.url("/apps/sign-in"), form: [])
        #expect(started.status == 303)
        let toGitHub = try #require(started.header("Location").flatMap(URL.init(string:)))
        #expect(toGitHub.absoluteString.hasPrefix(harness.github.baseURL.absoluteString + "/login/oauth/authorize"))
        #expect(toGitHub.query("redirect_uri") == harness.server.url("/callback").absoluteString)
        let callback = try await browser.get(try await harness.github.approve(toGitHub, as: login))
        #expect(callback.status == 303)
        #expect(callback.header("Location") == "/apps")
        return (callback, try await browser.get(harness.server.url("/apps")))
    }

    /// The table rows of a connected-apps page.
    static func rows(_ html: String) -> [String] {
        html.components(separatedBy: "<tr>").dropFirst(2).map { $0.components(separatedBy: "</tr>")[0] }
    }

    /// The row naming `clientName` (as escaped on the page).
    static func row(_ html: String, naming clientName: String) -> String? {
        rows(html).first { $0.contains("<strong>\(clientName)</strong>") }
    }

    /// The `Set-Cookie` header that sets cookie `name`.
    static func setCookie(_ response: TestClient.Response, _ name: String) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }
}
