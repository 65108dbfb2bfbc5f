import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// A provider with an echoing API handler and a consenting default handler, driven in-process.
struct ProviderHarness {
    static let origin = "https://auth.example.com"
    static let callback = "https://app.example.com/callback"
    static let verifier = "a-verifier-that-is-long-enough-to-satisfy-rfc-7636-rules"

    let clock: TestClock
    let kv: any KVNamespace
    let provider: OAuthProvider
    let client: TestClient
    let helpers: OAuthHelpers

    init(
        clock: TestClock = TestClock(),
        kv: (any KVNamespace)? = nil,
        apiRoutes: [String] = ["/api"],
        publicFetcher: any Fetcher = UnavailableFetcher(),
        configure: (inout OAuthProvider.Options) -> Void = { _ in }
    ) throws {
        self.clock = clock
        let kv = kv ?? MemoryKV(now: clock.nowFunction)
        self.kv = kv
        var options = OAuthProvider.Options(
            authorizeEndpoint: "/authorize",
            tokenEndpoint: "/oauth/token",
            clientRegistrationEndpoint: "/oauth/register",
            scopesSupported: ["read", "write"],
            // Tests register clients in bursts from one (in-process, address-less) caller; the rate-limit tests
            // turn it on.
            registrationRateLimit: nil,
            now: clock.nowFunction
        )
        configure(&options)
        provider = try OAuthProvider(
            apiRoute: apiRoutes,
            apiHandler: FetchHandler { request, env, ctx in
                try Response.json(["path": .string(request.path), "props": ctx.props ?? .null, "helpers": .bool(env.oauthProvider != nil)])
            },
            defaultHandler: FetchHandler { request, env, _ in
                Response.text("default \(request.path) helpers=\(env.oauthProvider != nil)")
            },
            options: options
        )
        var env = makeEnv(kv: kv)
        env.publicFetcher = publicFetcher
        client = TestClient(handler: provider, env: env, origin: Self.origin)
        helpers = try provider.helpers(env: env)
    }

    func register(_ method: TokenEndpointAuthMethod = .none, redirectURIs: [String] = [callback]) async throws -> RegisteredClient {
        try await helpers.createClient(ClientInfo(redirectURIs: redirectURIs, tokenEndpointAuthMethod: method))
    }

    /// Parses an authorization request for `client` and completes it for `userID`.
    func authorize(
        _ registered: RegisteredClient,
        userID: String = "alice",
        scope: String = "read write",
        props: JSONValue = ["login": "alice"],
        extra: [URLQueryItem] = [],
        revokeExistingGrants: Bool = true
    ) async throws -> String {
        let request = try authorizationRequest(registered, scope: scope, extra: extra)
        let authRequest = try await helpers.parseAuthRequest(request)
        let done = try await helpers.completeAuthorization(
            CompleteAuthorizationOptions(
                request: authRequest, userID: userID, scope: authRequest.scope, props: props,
                revokeExistingGrants: revokeExistingGrants
            )
        )
        let code = URLComponents(string: done.redirectTo)?.queryItems?.first { $0.name == "code" }?.value
        return try #require(code)
    }

    func authorizationRequest(_ registered: RegisteredClient, scope: String = "read write", extra: [URLQueryItem] = []) throws
        -> Request
    {
        var components = URLComponents(string: Self.origin + "/authorize")!
        components.queryItems =
            [
                URLQueryItem(name: "response_type", value: "code"),
                URLQueryItem(name: "client_id", value: registered.client.clientID),
                URLQueryItem(name: "redirect_uri", value: Self.callback),
                URLQueryItem(name: "scope", value: scope),
                URLQueryItem(name: "state", value: "xyz"),
                URLQueryItem(name: "code_challenge", value: TokenCryptoVectors.s256(Self.verifier)),
                URLQueryItem(name: "code_challenge_method", value: "S256"),
            ] + extra
        return Request(url: components.url!)
    }

    /// A token request from `registered` with its own authentication method.
    func token(_ registered: RegisteredClient, _ pairs: [(String, String)]) async throws -> TestResponse {
        var pairs = pairs
        var headers: [(String, String)] = []
        switch registered.client.tokenEndpointAuthMethod {
        case .clientSecretBasic:
            let credentials = "\(registered.client.clientID):\(registered.clientSecret!)"
            headers.append(("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString()))
        case .clientSecretPost:
            pairs += [("client_id", registered.client.clientID), ("client_secret", registered.clientSecret!)]
        default:
            pairs.append(("client_id", registered.client.clientID))
        }
        return try await client.postForm("/oauth/token", pairs, headers: headers)
    }

    func exchange(_ registered: RegisteredClient, code: String) async throws -> TestResponse {
        try await token(
            registered,
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.callback), ("code_verifier", Self.verifier)]
        )
    }

    /// Authorize + exchange; returns the token response JSON.
    func issue(_ registered: RegisteredClient, userID: String = "alice", props: JSONValue = ["login": "alice"]) async throws
        -> JSONValue
    {
        let code = try await authorize(registered, userID: userID, props: props)
        let response = try await exchange(registered, code: code)
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json)
    }

    func callAPI(_ path: String = "/api", token: String?, scheme: String = "Bearer") async throws -> TestResponse {
        try await client.send(.get, path, headers: token.map { [("Authorization", "\(scheme) \($0)")] } ?? [])
    }
}
