import Foundation
import GitHubStandIn
import HTTPTypes
import MCP
import NIOHTTP1
import Testing
import WorkersRuntime
import WorkersTesting

@testable import GitHubMCP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `github-mcp` end to end over real sockets, against a fake GitHub started by the test.
@Suite("GitHubMCP end to end")
struct GitHubMCPTests {
    /// Browser part of the flow: consent page, Approve, GitHub login, callback. Returns the callback URL GitHub sent
    /// the browser to and the final redirect to the MCP client.
    static func approveInBrowser(
        _ harness: GitHubMCPHarness, _ browser: Browser, authorize: URL, as login: String? = nil
    ) async throws -> (callback: URL, final: URL) {
        let consent = try await browser.get(authorize)
        #expect(consent.status == 200)
        let token = try #require(Browser.hiddenField("consent_token", in: consent.text))
        let approved = try await browser.post(
            harness.server.url("/authorize"), form: [("consent_token", token), ("decision", "approve")])
        #expect(approved.status == 302)
        let toGitHub = try #require(approved.header("Location").flatMap(URL.init(string:)))
        let callback = try await harness.github.approve(toGitHub, as: login)
        let done = try await browser.get(callback)
        #expect(done.status == 302)
        return (callback, try #require(done.header("Location").flatMap(URL.init(string:))))
    }

    @Test("an MCP client discovers, registers, authorizes with PKCE via consent and GitHub, then calls the tools")
    func endToEnd() async throws {
        let harness = try await GitHubMCPHarness.start()
        let http = harness.http

        // Discovery: 401 -> protected resource metadata -> authorization server metadata.
        let unauthorized = try await http.send(.post, harness.mcpURL, headers: [("Content-Type", "application/json")], body: "{}")
        #expect(unauthorized.status == 401)
        let challenge = try #require(unauthorized.header("WWW-Authenticate"))
        let prmURL = try #require(challenge.split(separator: "\"").map(String.init).first { $0.contains("oauth-protected-resource") })
        let prmEndpoint = try #require(URL(string: prmURL))
        let prm = try #require(try await http.send(.get, prmEndpoint).json)
        let issuer = try #require(prm["authorization_servers"]?.arrayValue?.first?.stringValue)
        let asEndpoint = try #require(URL(string: issuer + "/.well-known/oauth-authorization-server"))
        let asMetadata = try #require(try await http.send(.get, asEndpoint).json)
        #expect(asMetadata["code_challenge_methods_supported"]?.arrayValue?.contains("S256") == true)
        let registration = try #require(asMetadata["registration_endpoint"]?.stringValue.flatMap(URL.init(string:)))

        // Dynamic registration, PKCE, consent, GitHub, callback.
        let clientID = try await harness.register(registrationEndpoint: registration)
        let pkce = GitHubMCPHarness.pkce()
        let browser = Browser()
        let (_, final) = try await Self.approveInBrowser(
            harness, browser, authorize: harness.authorizeURL(clientID: clientID, state: "client-state", challenge: pkce.challenge))
        #expect(final.absoluteString.hasPrefix(GitHubMCPHarness.clientRedirect))
        #expect(final.query("state") == "client-state")
        #expect(final.query("iss") == issuer)
        let code = try #require(final.query("code"))

        // Token exchange: a wrong verifier fails, the right one yields a bearer token.
        let tokens = try await harness.token(code: code, clientID: clientID, verifier: pkce.verifier)
        #expect(tokens.status == 200)
        let accessToken = try #require(tokens.json?["access_token"]?.stringValue)

        // MCP with swift-sdk's Client: initialize, tools/list, tools/call.
        let transport = HTTPClientTransport(endpoint: harness.mcpURL, streaming: false) { request in
            var request = request
            request.setValue("Bearer \(accessToken)", forHTTPHeaderField: "Authorization")
            return request
        }
        let client = Client(name: "e2e", version: "1")
        let initialized = try await client.connect(transport: transport)
        #expect(initialized.serverInfo.name == "github-mcp")
        #expect(try await client.listTools().tools.map(\.name) == ["whoami", "list_repositories", "get_issue", "comment_on_issue"])
        let whoami = try await client.callTool(name: "whoami")
        #expect(GitHubToolsTests.text(whoami.content).contains("@dev-user"))
        let repos = try await client.callTool(name: "list_repositories")
        #expect(GitHubToolsTests.text(repos.content).contains("dev-user/hello-workers"))
        await client.disconnect()

        // The client's token never reached GitHub; GitHub's token is nowhere in the KV store in plaintext.
        #expect(!harness.github.requests.contains { $0.contains(accessToken) })
        #expect(harness.github.requests.contains { $0.target.hasPrefix("/user/repos") })
        let githubTokens = harness.github.standIn.issuedTokens
        #expect(githubTokens.count == 1)
        let dump = try await harness.kvDump()
        #expect(dump.contains("grant:"))
        for token in githubTokens { #expect(!dump.contains(token)) }
        #expect(!dump.contains(accessToken))

        // The same browser skips the consent page for a client it approved.
        let again = try await browser.get(harness.authorizeURL(clientID: clientID, state: "s2", challenge: pkce.challenge))
        #expect(again.status == 302)
        #expect(again.header("Location")?.contains("/login/oauth/authorize") == true)
        try await harness.stop()
    }

    @Test("a callback with a missing, wrong, replayed or another browser's state is refused and issues nothing")
    func callbackState() async throws {
        let harness = try await GitHubMCPHarness.start()
        let clientID = try await harness.register()
        let pkce = GitHubMCPHarness.pkce()
        let victim = Browser()
        let authorize = harness.authorizeURL(clientID: clientID, state: "st", challenge: pkce.challenge)
        let (callback, _) = try await Self.approveInBrowser(harness, victim, authorize: authorize)
        let exchanges = { harness.github.requests.filter { $0.target == "/login/oauth/access_token" }.count }
        #expect(exchanges() == 1)

        let code = try #require(callback.query("code"))
        let missing = try await victim.get(harness.server.url("/callback?code=\(code)"))
        #expect(missing.status == 400)
        let wrong = try await victim.get(harness.server.url("/callback?code=\(code)&state=forged"))
        #expect(wrong.status == 400)
        let replayed = try await victim.get(callback)
        #expect(replayed.status == 400)

        // Login CSRF: the attacker's own callback URL, opened in the victim's browser.
        let attacker = Browser()
        let consent = try await attacker.get(authorize)
        let token = try #require(Browser.hiddenField("consent_token", in: consent.text))
        let attackerApproval = try await attacker.post(
            harness.server.url("/authorize"), form: [("consent_token", token), ("decision", "approve")])
        let toGitHub = try #require(attackerApproval.header("Location").flatMap(URL.init(string:)))
        let attackerCallback = try await harness.github.approve(toGitHub)
        let crossed = try await victim.get(attackerCallback)
        #expect(crossed.status == 400)
        #expect(crossed.header("Location") == nil)
        #expect(exchanges() == 1)
        try await harness.stop()
    }

    @Test("Deny, or cancelling at GitHub, sends access_denied with the client's state and the issuer back to the client")
    func deny() async throws {
        let harness = try await GitHubMCPHarness.start()
        let clientID = try await harness.register()
        let browser = Browser()
        let consent = try await browser.get(
            harness.authorizeURL(clientID: clientID, state: "keep-me", challenge: GitHubMCPHarness.pkce().challenge))
        let token = try #require(Browser.hiddenField("consent_token", in: consent.text))
        let denied = try await browser.post(harness.server.url("/authorize"), form: [("consent_token", token), ("decision", "deny")])
        #expect(denied.status == 302)
        let location = try #require(denied.header("Location").flatMap(URL.init(string:)))
        #expect(location.absoluteString.hasPrefix(GitHubMCPHarness.clientRedirect))
        #expect(location.query("error") == "access_denied")
        #expect(location.query("state") == "keep-me")
        #expect(location.query("iss") == harness.server.baseURL.absoluteString)
        #expect(location.query("code") == nil)
        #expect(harness.github.requests.isEmpty)
        // The consent token was single-use.
        let again = try await browser.post(harness.server.url("/authorize"), form: [("consent_token", token), ("decision", "approve")])
        #expect(again.status == 400)

        // Cancelling at GitHub also ends with access_denied at the client, and no code.
        let consent2 = try await browser.get(
            harness.authorizeURL(clientID: clientID, state: "second", challenge: GitHubMCPHarness.pkce().challenge))
        let token2 = try #require(Browser.hiddenField("consent_token", in: consent2.text))
        let approved = try await browser.post(
            harness.server.url("/authorize"), form: [("consent_token", token2), ("decision", "approve")])
        let toGitHub = try #require(approved.header("Location").flatMap(URL.init(string:)))
        let cancelled = try await browser.get(try await harness.github.approve(toGitHub, cancel: true))
        let back = try #require(cancelled.header("Location").flatMap(URL.init(string:)))
        #expect(back.query("error") == "access_denied")
        #expect(back.query("state") == "second")
        #expect(back.query("code") == nil)
        #expect(!harness.github.requests.contains { $0.target == "/login/oauth/access_token" })
        try await harness.stop()
    }

    @Test("the consent page escapes a hostile client name and cannot be framed")
    func hostileClientName() async throws {
        let harness = try await GitHubMCPHarness.start()
        let clientID = try await harness.register(name: "<script>alert(document.cookie)</script>")
        let page = try await Browser().get(
            harness.authorizeURL(clientID: clientID, state: "s", challenge: GitHubMCPHarness.pkce().challenge))
        #expect(page.status == 200)
        #expect(!page.text.contains("<script>alert"))
        #expect(page.text.contains("&lt;script&gt;alert(document.cookie)&lt;/script&gt;"))
        #expect(page.header("X-Frame-Options") == "DENY")
        #expect(page.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        try await harness.stop()
    }

    @Test("without GitHub credentials the built-in development identity serves the whole flow, and /mcp streams SSE")
    func developmentIdentity() async throws {
        let harness = try await GitHubMCPHarness.start(development: true, responseMode: "sse")
        let clientID = try await harness.register()
        let pkce = GitHubMCPHarness.pkce()
        let browser = Browser()
        let consent = try await browser.get(harness.authorizeURL(clientID: clientID, state: "dev", challenge: pkce.challenge))
        #expect(consent.text.contains("development identity"))
        let token = try #require(Browser.hiddenField("consent_token", in: consent.text))
        let approved = try await browser.post(
            harness.server.url("/authorize"), form: [("consent_token", token), ("decision", "approve")])
        let login = try #require(approved.header("Location").flatMap(URL.init(string:)))
        #expect(login.absoluteString.hasPrefix(harness.server.url("/__dev/github/login/oauth/authorize").absoluteString))
        let page = try await browser.get(login)
        #expect(page.text.contains("Development identity"))
        let form = ["client_id", "redirect_uri", "state", "scope"].compactMap { name in login.query(name).map { (name, $0) } }
        let authorized = try await browser.post(
            harness.server.url("/__dev/github/login/oauth/authorize"), form: form + [("login", "dev-user"), ("decision", "authorize")])
        let callback = try #require(authorized.header("Location").flatMap(URL.init(string:)))
        let final = try #require(try await browser.get(callback).header("Location").flatMap(URL.init(string:)))
        let code = try #require(final.query("code"))
        let accessToken = try #require(
            try await harness.token(code: code, clientID: clientID, verifier: pkce.verifier).json?["access_token"]?.stringValue)
        #expect(harness.github.requests.isEmpty)

        let headers = [
            ("Authorization", "Bearer \(accessToken)"), ("Content-Type", "application/json"),
            ("Accept", "application/json, text/event-stream"),
        ]
        let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}"#
        let opened = try await harness.http.send(
            .post, harness.mcpURL, headers: headers + [("Origin", "http://localhost:6274")], body: initialize)
        #expect(opened.status == 200)
        // A browser client (here from MCP Inspector's origin) can read the session id through the provider's CORS.
        #expect(opened.header("Access-Control-Allow-Origin") == "http://localhost:6274")
        #expect(opened.header("Access-Control-Expose-Headers")?.contains("MCP-Session-Id") == true)
        #expect(opened.header("Content-Type") == "text/event-stream")
        let session = try #require(opened.header("MCP-Session-Id"))
        let call = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}"#
        let whoami = try await harness.http.send(.post, harness.mcpURL, headers: headers + [("MCP-Session-Id", session)], body: call)
        #expect(whoami.text.contains("event: message"))
        #expect(whoami.text.contains("@dev-user"))

        let anonymous = try await harness.http.send(
            .post, harness.mcpURL, headers: Array(headers.dropFirst()) + [("MCP-Session-Id", session)], body: call)
        #expect(anonymous.status == 401)
        try await harness.stop()
    }

    /// Signs `login` in through the whole flow and returns its access and refresh tokens.
    static func tokens(_ harness: GitHubMCPHarness, as login: String) async throws -> (access: String, refresh: String, client: String) {
        let clientID = try await harness.register()
        let pkce = GitHubMCPHarness.pkce()
        let (_, final) = try await approveInBrowser(
            harness, Browser(), authorize: harness.authorizeURL(clientID: clientID, state: "s", challenge: pkce.challenge), as: login)
        let code = try #require(final.query("code"))
        let json = try #require(try await harness.token(code: code, clientID: clientID, verifier: pkce.verifier).json)
        return (try #require(json["access_token"]?.stringValue), try #require(json["refresh_token"]?.stringValue), clientID)
    }

    @Test("an MCP session survives a token refresh, and another GitHub user cannot use it")
    func sessionAcrossRefreshAndUsers() async throws {
        let harness = try await GitHubMCPHarness.start()
        let alice = try await Self.tokens(harness, as: "dev-user")
        let octo = try await Self.tokens(harness, as: "octo")
        func post(_ token: String, session: String?, _ body: String) async throws -> TestClient.Response {
            var headers = [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")]
            if let session { headers.append(("MCP-Session-Id", session)) }
            return try await harness.http.send(.post, harness.mcpURL, headers: headers, body: body)
        }
        let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}"#
        let whoami = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}"#
        let session = try #require(try await post(alice.access, session: nil, initialize).header("MCP-Session-Id"))

        let hijack = try await post(octo.access, session: session, whoami)
        #expect(hijack.status == 404)
        #expect(!hijack.text.contains("dev-user"))
        #expect(try await post(octo.access, session: nil, initialize).status == 200)

        let refreshed = try await harness.http.postForm(harness.server.url("/token"), [
            ("grant_type", "refresh_token"), ("refresh_token", alice.refresh), ("client_id", alice.client),
        ])
        let newAccess = try #require(refreshed.json?["access_token"]?.stringValue)
        #expect(newAccess != alice.access)
        let after = try await post(newAccess, session: session, whoami)
        #expect(after.status == 200)
        #expect(after.text.contains("@dev-user"))
        try await harness.stop()
    }
}
