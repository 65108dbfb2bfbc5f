import Crypto
import Foundation
import GitHubStandIn
import HTTPTypes
import NIOHTTP1
import Synchronization
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersServer
import WorkersTesting

@testable import GitHubMCP

/// `github-mcp` on a live port in front of a fake GitHub on another, with the steps an MCP client and a browser take.
final class GitHubMCPHarness: Sendable {
    let github: FakeGitHub
    let server: LiveServer
    let kv: MemoryKV
    let provider: OAuthProvider
    let env: Env
    let http = TestClient()
    static let clientRedirect = "http://127.0.0.1:9/oauth/callback"

    private init(github: FakeGitHub, server: LiveServer, kv: MemoryKV, provider: OAuthProvider, env: Env) {
        self.github = github
        self.server = server
        self.kv = kv
        self.provider = provider
        self.env = env
    }

    /// Starts the fake GitHub and the example configured against it (JSON responses unless `responseMode` says),
    /// with `vars` and `secrets` added to its environment.
    static func start(
        development: Bool = false, responseMode: String = "json", vars: [String: JSONValue] = [:], secrets: [String: String] = [:]
    ) async throws -> GitHubMCPHarness {
        let octo = GitHubStandIn.User(id: 583231, login: "octo", name: "Octo Cat", repositories: [.init(id: 9, name: "spoon-knife")])
        let github = try await FakeGitHub.start(
            configuration: .init(clientID: "gh-client", clientSecret: "gh-secret", users: [GitHubStandIn.developmentUser, octo]))
        let kv = MemoryKV()
        var env = Env(
            vars: ["MCP_RESPONSE_MODE": .string(responseMode)],
            secrets: ["COOKIE_ENCRYPTION_KEY": String(repeating: "c", count: 40)],
            bindings: ["OAUTH_KV": kv],
            fetcher: HTTPClientFetcher()
        )
        env.vars.merge(vars) { _, added in added }
        env.secrets.merge(secrets) { _, added in added }
        if !development {
            env.vars["GITHUB_OAUTH_BASE"] = .string(github.baseURL.absoluteString)
            env.vars["GITHUB_API_BASE"] = .string(github.baseURL.absoluteString)
            env.secrets["GITHUB_CLIENT_ID"] = "gh-client"
            env.secrets["GITHUB_CLIENT_SECRET"] = "gh-secret"
        }
        let (worker, provider) = try GitHubMCPWorker.build(env: env, announce: false)
        let server = try await LiveServer.start(worker: worker, env: env)
        return GitHubMCPHarness(github: github, server: server, kv: kv, provider: provider, env: env)
    }

    func stop() async throws {
        try await server.stop()
        try await github.stop()
    }

    var mcpURL: URL { server.url("/mcp") }

    /// Registers a public client (RFC 7591) at the registration endpoint found through discovery.
    func register(name: String = "E2E client", registrationEndpoint: URL? = nil) async throws -> String {
        let body: JSONValue = [
            "client_name": .string(name), "redirect_uris": [.string(Self.clientRedirect)],
            "token_endpoint_auth_method": "none", "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
        ]
        let response = try await http.send(
            .post, registrationEndpoint ?? server.url("/register"),
            headers: [("Content-Type", "application/json")], body: body.jsonString)
        guard response.status == 201, let id = response.json?["client_id"]?.stringValue else {
            throw FakeGitHubError(message: "registration answered \(response.status): \(response.text)")
        }
        return id
    }

    /// A PKCE verifier and its S256 challenge.
    static func pkce() -> (verifier: String, challenge: String) {
        let verifier = RandomToken.base64URL(byteCount: 32)
        return (verifier, Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString())
    }

    /// The `/authorize` URL an MCP client opens in the browser.
    func authorizeURL(clientID: String, state: String, challenge: String, resource: URL? = nil, scope: String = "mcp") -> URL {
        var components = URLComponents(url: server.url("/authorize"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID),
            .init(name: "redirect_uri", value: Self.clientRedirect), .init(name: "state", value: state),
            .init(name: "code_challenge", value: challenge), .init(name: "code_challenge_method", value: "S256"),
            .init(name: "scope", value: scope), .init(name: "resource", value: (resource ?? mcpURL).absoluteString),
        ]
        return components.url!
    }

    /// Exchanges the code at the token endpoint.
    func token(code: String, clientID: String, verifier: String, resource: URL? = nil) async throws -> TestClient.Response {
        try await http.postForm(server.url("/token"), [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.clientRedirect),
            ("client_id", clientID), ("code_verifier", verifier), ("resource", (resource ?? mcpURL).absoluteString),
        ])
    }

    /// Every key and value in the provider's KV store, as text.
    func kvDump() async throws -> String {
        var dump = ""
        var cursor: String?
        repeat {
            let page = try await kv.list(prefix: nil, cursor: cursor)
            for key in page.keys {
                dump += key.name + "\n" + (key.metadata?.jsonString ?? "") + "\n"
                if let entry = try await kv.getEntry(key.name) { dump += String(decoding: entry.value, as: UTF8.self) + "\n" }
            }
            cursor = page.listComplete ? nil : page.cursor
        } while cursor != nil
        return dump
    }
}

/// A browser: keeps cookies (one jar for 127.0.0.1, as browsers do across ports) and never follows redirects itself.
final class Browser: Sendable {
    private let jar = Mutex<[String: String]>([:])
    let http = TestClient()

    func get(_ url: URL) async throws -> TestClient.Response {
        remember(try await http.send(.get, url, headers: cookieHeader))
    }

    func post(_ url: URL, form: [(String, String)]) async throws -> TestClient.Response {
        remember(try await http.postForm(url, form, headers: cookieHeader))
    }

    var cookies: [String: String] { jar.withLock { $0 } }

    private var cookieHeader: [(String, String)] {
        let cookies = jar.withLock { $0 }
        guard !cookies.isEmpty else { return [] }
        return [("Cookie", cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))]
    }

    private func remember(_ response: TestClient.Response) -> TestClient.Response {
        for header in response.headers[values: .setCookie] {
            // An emptied cookie (`name=; Max-Age=0`) keeps its empty value, so it is dropped below.
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map(String.init)
            guard pair.count == 2 else { continue }
            let expired = header.contains("Max-Age=0") || pair[1].isEmpty
            jar.withLock { $0[pair[0]] = expired ? nil : pair[1] }
        }
        return response
    }

    /// The `value` of the hidden input `name` in an HTML page.
    static func hiddenField(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: #"name="\#(name)" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

extension URL {
    /// The first query parameter named `name`.
    func query(_ name: String) -> String? {
        URLComponents(url: self, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == name }?.value
    }
}
