import Foundation
import HTTPTypes
import GitHubStandIn
import MCP
import Testing
import WorkersMCP
import WorkersRuntime
import WorkersServer
import WorkersTesting

@testable import GitHubMCP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("GitHubMCP tools against a fake GitHub")
struct GitHubToolsTests {
    static let callback = "http://127.0.0.1:9/callback"

    static func env(_ github: FakeGitHub) -> Env {
        Env(
            vars: [
                "GITHUB_OAUTH_BASE": .string(github.baseURL.absoluteString),
                "GITHUB_API_BASE": .string(github.baseURL.absoluteString),
            ],
            secrets: ["GITHUB_CLIENT_ID": "client-1", "GITHUB_CLIENT_SECRET": "secret-1"],
            fetcher: HTTPClientFetcher()
        )
    }

    /// Signs in at the fake through GitHubClient: the upstream half of the flow the example runs in /callback.
    static func signIn(_ github: FakeGitHub, env: Env) async throws -> GitHubProps {
        let client = try GitHubClient(env: env)
        let authorize = client.authorizeURL(redirectURI: callback, state: "s", scope: "read:user")
        let location = try await github.approve(authorize)
        let code = try #require(URLComponents(url: location, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "code" }?.value)
        let token = try await client.exchangeCode(code, redirectURI: callback)
        let user = try await client.user(token: token)
        return GitHubProps(login: user.login, name: user.name, email: user.email, accessToken: token)
    }

    @Test("GitHubClient exchanges the code with the app's secret and reads /user; a replayed code is refused")
    func upstreamClient() async throws {
        let github = try await FakeGitHub.start(configuration: .init(clientID: "client-1", clientSecret: "secret-1"))
        let env = Self.env(github)
        let props = try await Self.signIn(github, env: env)
        #expect(props.login == "dev-user")
        #expect(props.name == "Development Identity")
        #expect(props.accessToken.hasPrefix("gho_"))

        let exchange = try #require(github.requests.first { $0.target == "/login/oauth/access_token" })
        #expect(exchange.header("accept") == "application/json")
        #expect(exchange.body.contains("client_secret=secret-1"))
        let code = try #require(URLEncodedForm(parsing: exchange.body)["code"])
        await #expect(throws: GitHubError.self) {
            try await GitHubClient(env: env).exchangeCode(code, redirectURI: Self.callback)
        }
        try await github.stop()
    }

    @Test("whoami, list_repositories and get_issue act with the props' GitHub token, never the MCP client's")
    func toolsOverMCP() async throws {
        let github = try await FakeGitHub.start(configuration: .init(clientID: "client-1", clientSecret: "secret-1"))
        let env = Self.env(github)
        let props = try await Self.signIn(github, env: env)
        let mcp = GitHubTools.handler(configuration: .init(responseMode: .json))
        let propsJSON = try props.json
        // Stands in for the OAuth provider: the bearer token is checked elsewhere; the handler sees only props.
        let worker = Worker { request, env, ctx in
            try await mcp.fetch(request, env: env, ctx: ctx.with(props: propsJSON))
        }
        let server = try await LiveServer.start(worker: worker, env: env)
        let clientToken = "mcp-client-token-\(UUID().uuidString)"
        let transport = HTTPClientTransport(
            endpoint: server.url("/mcp"),
            streaming: false,
            requestModifier: { request in
                var request = request
                request.setValue("Bearer \(clientToken)", forHTTPHeaderField: "Authorization")
                return request
            }
        )
        let client = Client(name: "tools-test", version: "1")
        try await client.connect(transport: transport)
        let (tools, _) = try await client.listTools()
        #expect(tools.map(\.name) == ["whoami", "list_repositories", "get_issue", "comment_on_issue"])

        let (whoami, _) = try await client.callTool(name: "whoami")
        #expect(Self.text(whoami).contains("@dev-user"))
        let (repos, _) = try await client.callTool(name: "list_repositories")
        #expect(Self.text(repos).contains("dev-user/hello-workers"))
        #expect(Self.text(repos).contains("dev-user/private-notes (private)"))
        let (issue, issueError) = try await client.callTool(
            name: "get_issue", arguments: ["owner": "dev-user", "repo": "hello-workers", "number": 1])
        #expect(issueError != true)
        #expect(Self.text(issue).hasPrefix("#1 Try the MCP tools [open]"))
        let (missing, missingError) = try await client.callTool(
            name: "get_issue", arguments: ["owner": "dev-user", "repo": "hello-workers", "number": 99])
        #expect(missingError == true)
        #expect(Self.text(missing).contains("404"))
        await client.disconnect()
        try await server.stop()

        let apiCalls = github.requests.filter { !$0.target.hasPrefix("/login/") }
        #expect(apiCalls.map(\.target).contains { $0.hasPrefix("/user/repos") })
        #expect(apiCalls.allSatisfy { $0.header("authorization") == "Bearer \(props.accessToken)" })
        #expect(!github.requests.contains { $0.contains(clientToken) })
        try await github.stop()
    }

    static func text(_ content: [Tool.Content]) -> String {
        content.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }.joined(separator: "\n")
    }
}
