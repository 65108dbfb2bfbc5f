import Foundation
import GitHubStandIn
import HTTPTypes
import NIOHTTP1
import Synchronization
import Testing
import WorkersRuntime
import WorkersTesting

@Suite("GitHubStandIn over real sockets")
struct GitHubStandInTests {
    let client = TestClient()
    static let callback = "http://127.0.0.1:9/callback"

    static func configuration(now: @escaping @Sendable () -> Date = { Date() }) -> GitHubStandIn.Configuration {
        let other = GitHubStandIn.User(
            id: 2, login: "other", name: "Other",
            repositories: [.init(id: 201, name: "secret", isPrivate: true, issues: [.init(number: 1, title: "hidden")])]
        )
        return .init(
            clientID: "client-1", clientSecret: "secret-1", callbackURL: URL(string: callback),
            users: [GitHubStandIn.developmentUser, other], now: now
        )
    }

    func authorizeURL(_ github: FakeGitHub, state: String = "st-1", scope: String = "read:user") -> URL {
        var components = URLComponents(url: github.url("/login/oauth/authorize"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            .init(name: "client_id", value: "client-1"), .init(name: "redirect_uri", value: Self.callback),
            .init(name: "state", value: state), .init(name: "scope", value: scope),
        ]
        return components.url!
    }

    func codeParameter(from location: URL) -> String? {
        URLComponents(url: location, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "code" }?.value
    }

    func exchange(_ github: FakeGitHub, code: String, secret: String = "secret-1", json: Bool = true) async throws -> TestClient.Response {
        try await client.postForm(
            github.url("/login/oauth/access_token"),
            [("client_id", "client-1"), ("client_secret", secret), ("code", code), ("redirect_uri", Self.callback)],
            headers: json ? [("Accept", "application/json")] : []
        )
    }

    func api(_ github: FakeGitHub, _ path: String, auth: String?, agent: String? = "tests") async throws -> TestClient.Response {
        var headers: [(String, String)] = []
        if let auth { headers.append(("Authorization", auth)) }
        if let agent { headers.append(("User-Agent", agent)) }
        return try await client.send(.get, github.url(path), headers: headers)
    }

    @Test("the web flow: approve echoes state, the code buys a token, the token reads /user, repos and an issue")
    func webFlow() async throws {
        let github = try await FakeGitHub.start(configuration: Self.configuration())
        let location = try await github.approve(authorizeURL(github))
        #expect(location.absoluteString.hasPrefix(Self.callback + "?"))
        #expect(location.query?.contains("state=st-1") == true)
        let code = try #require(codeParameter(from: location))

        let token = try await exchange(github, code: code)
        #expect(token.status == 200)
        let accessToken = try #require(token.json?["access_token"]?.stringValue)
        #expect(accessToken.hasPrefix("gho_"))
        #expect(token.json?["token_type"] == "bearer")
        #expect(token.json?["scope"] == "read:user")

        let user = try await api(github, "/user", auth: "Bearer \(accessToken)")
        #expect(user.status == 200)
        #expect(user.json?["login"] == "dev-user")
        #expect(user.json?["id"] == 1)
        #expect(try await api(github, "/user", auth: "token \(accessToken)").status == 200)

        let repos = try await api(github, "/user/repos", auth: "Bearer \(accessToken)")
        #expect(repos.json?.arrayValue?.compactMap { $0["full_name"]?.stringValue }
            == ["dev-user/hello-workers", "dev-user/private-notes"])
        let issue = try await api(github, "/repos/dev-user/hello-workers/issues/1", auth: "Bearer \(accessToken)")
        #expect(issue.json?["title"] == "Try the MCP tools")
        #expect(try await api(github, "/repos/other/secret/issues/1", auth: "Bearer \(accessToken)").status == 404)

        #expect(github.requests.map(\.target).contains("/user/repos"))
        #expect(github.requests.contains { $0.header("authorization") == "Bearer \(accessToken)" })
        try await github.stop()
    }

    @Test("codes are single-use and expire; wrong client secrets are refused, all as GitHub does (200 + error)")
    func codeRules() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let github = try await FakeGitHub.start(configuration: Self.configuration(now: { clock.withLock { $0 } }))
        let first = try #require(codeParameter(from: try await github.approve(authorizeURL(github))))
        let refused = try await exchange(github, code: first, secret: "wrong")
        #expect(refused.status == 200)
        #expect(refused.json?["error"] == "incorrect_client_credentials")
        #expect(try await exchange(github, code: first).json?["access_token"] != nil)
        let replay = try await exchange(github, code: first)
        #expect(replay.status == 200)
        #expect(replay.json?["error"] == "bad_verification_code")

        let second = try #require(codeParameter(from: try await github.approve(authorizeURL(github))))
        clock.withLock { $0 += 601 }
        #expect(try await exchange(github, code: second).json?["error"] == "bad_verification_code")

        let third = try #require(codeParameter(from: try await github.approve(authorizeURL(github))))
        let form = try await exchange(github, code: third, json: false)
        #expect(form.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true)
        #expect(form.text.hasPrefix("access_token=gho_"))
        try await github.stop()
    }

    @Test("the API refuses missing or bad credentials with 401 and a missing User-Agent with 403")
    func apiAuthentication() async throws {
        let github = try await FakeGitHub.start(configuration: Self.configuration())
        let missing = try await api(github, "/user", auth: nil)
        #expect(missing.status == 401)
        #expect(missing.json?["message"] == "Requires authentication")
        let bad = try await api(github, "/user", auth: "Bearer gho_not-a-token")
        #expect(bad.status == 401)
        #expect(bad.json?["message"] == "Bad credentials")
        #expect(try await api(github, "/user", auth: "Bearer x", agent: nil).status == 403)
        try await github.stop()
    }

    @Test("the login page says development identity, escapes what it echoes, and refuses unknown apps and callbacks")
    func loginPage() async throws {
        let github = try await FakeGitHub.start(configuration: Self.configuration())
        let page = try await client.send(.get, authorizeURL(github, state: "\"><script>alert(1)</script>", scope: "<b>x</b>"))
        #expect(page.status == 200)
        #expect(page.text.contains("Development identity"))
        #expect(!page.text.contains("<script>alert(1)</script>"))
        #expect(page.text.contains("&lt;b&gt;x&lt;/b&gt;"))
        #expect(page.header("X-Frame-Options") == "DENY")

        let unknown = try await client.send(.get, github.url("/login/oauth/authorize?client_id=nope"))
        #expect(unknown.status == 404)
        let elsewhere = try await client.send(
            .get, github.url("/login/oauth/authorize?client_id=client-1&redirect_uri=http://evil.example/callback"))
        #expect(elsewhere.status == 400)

        let cancelled = try await github.approve(authorizeURL(github), cancel: true)
        #expect(cancelled.query?.contains("error=access_denied") == true)
        #expect(cancelled.query?.contains("state=st-1") == true)
        #expect(codeParameter(from: cancelled) == nil)
        try await github.stop()
    }
}
