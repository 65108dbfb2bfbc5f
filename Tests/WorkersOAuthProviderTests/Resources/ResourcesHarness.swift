import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// An authorization server for three resources: `/a` (scopes `a:read a:write`, served here), `/b` (`b:read`, served
/// here) and `https://notes.example.com/mcp` (`notes:read`, served elsewhere). The handlers echo what they were
/// given; `/a/write` needs `a:write`.
struct ResourcesHarness {
    static let callback = "https://app.example.com/callback"
    static let verifier = "a-verifier-that-is-long-enough-to-satisfy-rfc-7636-rules"
    static let remote = "https://notes.example.com/mcp"

    let client: TestClient
    let helpers: OAuthHelpers
    let clock: TestClock

    /// The secret JWT signing keys are encrypted under.
    static let signingSecret = "a-signing-key-encryption-secret-of-32-characters-or-more"

    /// The provider; with `jwt`, `/b` and the remote resource have JWT access tokens.
    static func provider(clock: TestClock, jwt: Bool = false, configure: (inout OAuthProvider.Options) -> Void = { _ in }) throws
        -> OAuthProvider
    {
        let echo = FetchHandler { request, _, ctx in
            if request.path == "/a/write" { try ctx.requireScopes(["a:write"]) }
            let token = ctx.accessToken
            return try Response.json([
                "path": .string(request.path), "props": ctx.props ?? .null,
                "client_id": token.map { .string($0.clientID) } ?? .null,
                "scopes": .array((token?.scopes ?? []).map(JSONValue.string)),
                "subject": token?.subject.map(JSONValue.string) ?? .null,
                "resource": token?.resource.map(JSONValue.string) ?? .null,
            ] as JSONValue)
        }
        var options = OAuthProvider.Options(
            authorizeEndpoint: "/authorize", tokenEndpoint: "/oauth/token", registrationRateLimit: nil, now: clock.nowFunction
        )
        configure(&options)
        return try OAuthProvider(
            resources: [
                .init(uri: "/a", scopes: ["a:read", "a:write"], handlers: ["/a": echo], name: "Resource A"),
                .init(uri: "/b", scopes: ["b:read"], handlers: ["/b": echo], accessTokenFormat: jwt ? .jwt : .opaque),
                .init(uri: remote, scopes: ["notes:read"], accessTokenFormat: jwt ? .jwt : .opaque),
            ],
            defaultHandler: FetchHandler { _, _, _ in Response.text("default") },
            options: options
        )
    }

    /// Runs `body` against the provider in `mode` (in process, or over a loopback socket).
    static func test(
        _ mode: TestMode, jwt: Bool = false, configure: (inout OAuthProvider.Options) -> Void = { _ in },
        _ body: (ResourcesHarness) async throws -> Void
    ) async throws {
        let clock = TestClock()
        let env = Env(
            secrets: ["SIGNING_KEY_ENCRYPTION_KEY": signingSecret], bindings: ["OAUTH_KV": MemoryKV(now: clock.nowFunction)]
        )
        let provider = try provider(clock: clock, jwt: jwt, configure: configure)
        try await provider.test(mode, env: env) { client in
            try await body(ResourcesHarness(client: client, helpers: try provider.helpers(env: env), clock: clock))
        }
    }

    /// The canonical URI of a path resource at the client's origin.
    func uri(_ path: String) throws -> String { try client.resolve(path).absoluteString }

    /// The client's origin (the issuer).
    func origin() throws -> String { try client.resolve("/").origin }

    func publicClient() async throws -> RegisteredClient {
        try await helpers.createClient(ClientInfo(redirectURIs: [Self.callback], tokenEndpointAuthMethod: .none))
    }

    /// Authorizes `registered` for `resources` (none: the default) with `scope`; the code.
    func authorize(
        _ registered: RegisteredClient, resources: [String], scope: String, userID: String = "alice",
        props: JSONValue = ["login": "alice"]
    ) async throws -> String {
        var components = URLComponents(url: try client.resolve("/authorize"), resolvingAgainstBaseURL: false)!
        components.queryItems =
            [
                URLQueryItem(name: "response_type", value: "code"),
                URLQueryItem(name: "client_id", value: registered.client.clientID),
                URLQueryItem(name: "redirect_uri", value: Self.callback),
                URLQueryItem(name: "scope", value: scope),
                URLQueryItem(name: "state", value: "s"),
                URLQueryItem(name: "code_challenge", value: TokenCryptoVectors.s256(Self.verifier)),
                URLQueryItem(name: "code_challenge_method", value: "S256"),
            ] + resources.map { URLQueryItem(name: "resource", value: $0) }
        let authRequest = try await helpers.parseAuthRequest(Request(url: components.url!))
        let done = try await helpers.completeAuthorization(
            CompleteAuthorizationOptions(request: authRequest, userID: userID, scope: authRequest.scope, props: props)
        )
        return try #require(URLComponents(string: done.redirectTo)?.queryItems?.first { $0.name == "code" }?.value)
    }

    /// Exchanges `code`; the token response.
    func exchange(_ registered: RegisteredClient, code: String, resource: String? = nil) async throws -> TestResponse {
        try await client.postForm(
            "/oauth/token",
            [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.callback),
                ("code_verifier", Self.verifier), ("client_id", registered.client.clientID),
            ] + (resource.map { [("resource", $0)] } ?? [])
        )
    }

    /// Authorize and exchange; the token response JSON.
    func issue(_ registered: RegisteredClient, resources: [String], scope: String) async throws -> JSONValue {
        let response = try await exchange(registered, code: try await authorize(registered, resources: resources, scope: scope))
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json)
    }

    func call(_ path: String, token: String?) async throws -> TestResponse {
        try await client.send(.get, path, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }
}
