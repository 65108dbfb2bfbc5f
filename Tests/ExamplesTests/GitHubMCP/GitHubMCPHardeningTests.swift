import Foundation
import HTTPTypes
import NIOHTTP1
import Testing
import WorkersRuntime
import WorkersTesting

@testable import GitHubMCP

/// The flagship's share of the security hardening, over real sockets.
@Suite("GitHubMCP hardening")
struct GitHubMCPHardeningTests {
    static func authorizeURL(_ harness: GitHubMCPHarness, clientID: String, redirect: String = GitHubMCPHarness.clientRedirect,
                             scope: String?, responseType: String = "code") -> URL {
        var components = URLComponents(url: harness.server.url("/authorize"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            .init(name: "response_type", value: responseType), .init(name: "client_id", value: clientID),
            .init(name: "redirect_uri", value: redirect), .init(name: "state", value: "s"),
            .init(name: "code_challenge", value: GitHubMCPHarness.pkce().challenge), .init(name: "code_challenge_method", value: "S256"),
        ] + (scope.map { [.init(name: "scope", value: $0)] } ?? [])
        return components.url!
    }

    @Test("a dynamically registered client's bad request is a 400 page here, never a redirect to its URI")
    func noOpenRedirectThroughRegisteredClients() async throws {
        let harness = try await GitHubMCPHarness.start()
        let clientID = try await harness.register()
        let response = try await harness.http.send(.get, Self.authorizeURL(harness, clientID: clientID, scope: "mcp", responseType: "token"))
        try await harness.stop()
        #expect(response.status == 400)
        #expect(response.header("Location") == nil)
        #expect(response.text.contains("invalid"))
    }

    @Test("remembered consent covers the scopes approved: a request for more shows the consent page again")
    func consentIsBoundToScopes() async throws {
        let harness = try await GitHubMCPHarness.start()
        let clientID = try await harness.register()
        let browser = Browser()
        let first = try await browser.get(Self.authorizeURL(harness, clientID: clientID, scope: nil))
        let token = try #require(Browser.hiddenField("consent_token", in: first.text))
        let approved = try await browser.post(harness.server.url("/authorize"), form: [("consent_token", token), ("decision", "approve")])
        #expect(approved.status == 302)
        let again = try await browser.get(Self.authorizeURL(harness, clientID: clientID, scope: nil))
        let more = try await browser.get(Self.authorizeURL(harness, clientID: clientID, scope: "mcp"))
        try await harness.stop()
        #expect(again.status == 302, "the same (empty) scope set was approved: straight to GitHub")
        #expect(more.status == 200, "mcp was never approved: consent again")
        #expect(more.text.contains("<code>mcp</code>"))
    }

    @Test("the consent page names a private-use scheme dressed as a host by its scheme, not as that host")
    func consentShowsTheRedirectScheme() async throws {
        let harness = try await GitHubMCPHarness.start()
        let registered = try await harness.http.send(
            .post, harness.server.url("/register"), headers: [("Content-Type", "application/json")],
            body: #"{"client_name":"Claude","redirect_uris":["com.evil.app://claude.ai/cb"],"token_endpoint_auth_method":"none"}"#
        )
        let clientID = try #require(registered.json?["client_id"]?.stringValue)
        let page = try await Browser().get(Self.authorizeURL(harness, clientID: clientID, redirect: "com.evil.app://claude.ai/cb", scope: "mcp"))
        try await harness.stop()
        #expect(page.status == 200)
        #expect(page.text.contains(#"<p class="target">com.evil.app://claude.ai</p>"#))
        #expect(ConsentPage.target(of: "https://client.example:8443/cb?x") == "https://client.example:8443")
        #expect(ConsentPage.target(of: "com.example.app:/callback") == "com.example.app:/callback")
    }

    @Test("a consent form with malformed percent-encoding is a 400, not a 500")
    func malformedConsentForm() async throws {
        let harness = try await GitHubMCPHarness.start()
        let response = try await harness.http.send(
            .post, harness.server.url("/authorize"), headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: "consent_token=%ZZ&decision=approve"
        )
        try await harness.stop()
        #expect(response.status == 400)
    }

    @Test("tokens are bound to this server's /mcp, and a resource elsewhere is refused without consuming the code")
    func tokensAreBoundToMCP() async throws {
        let harness = try await GitHubMCPHarness.start()
        let clientID = try await harness.register()
        let pkce = GitHubMCPHarness.pkce()
        let (_, final) = try await GitHubMCPTests.approveInBrowser(
            harness, Browser(), authorize: harness.authorizeURL(clientID: clientID, state: "s", challenge: pkce.challenge))
        let code = try #require(final.query("code"))
        let exchange: [(String, String)] = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", GitHubMCPHarness.clientRedirect),
            ("client_id", clientID), ("code_verifier", pkce.verifier),
        ]
        let foreign = try await harness.http.postForm(harness.server.url("/token"), exchange + [("resource", "https://evil.example/mcp")])
        let token = try await harness.http.postForm(harness.server.url("/token"), exchange)
        let metadata = try await harness.http.send(.get, harness.server.url("/.well-known/oauth-protected-resource/mcp"))
        try await harness.stop()
        #expect(foreign.status == 400)
        #expect(foreign.json?["error"] == "invalid_target")
        #expect(token.status == 200)
        #expect(token.json?["resource"] == .string(harness.mcpURL.absoluteString), "bound to /mcp though the client named none")
        #expect(metadata.json?["resource"] == .string(harness.mcpURL.absoluteString))
    }

    @Test("metadata asked for over plain http under a public host name is a 400, not a 500")
    func plainHTTPPublicHostIsAClientError() async throws {
        let harness = try await GitHubMCPHarness.start()
        let response = try await harness.http.send(
            .get, harness.server.url("/.well-known/oauth-authorization-server"), headers: [("Host", "mcp.example.com")]
        )
        try await harness.stop()
        #expect(response.status == 400)
        #expect(response.json?["error"] == "invalid_request")
    }
}
