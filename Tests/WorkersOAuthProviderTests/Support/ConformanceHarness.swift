import Crypto
import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersConformance
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// The MCP authorization spec revisions the anchor's conformance suite runs against.
enum MCPRevision {
    static let all = ["2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"]
    static func since(_ revision: String) -> [String] { all.filter { $0 >= revision } }
}

/// A registered client of the fixture.
struct FixtureClient {
    let id: String
    let secret: String?
    let method: String
}

/// The conformance fixture Worker driven in-process, with the anchor's client conventions.
struct ConformanceHarness {
    static let origin = "https://mcp.example.com"
    static let resource = origin + "/mcp"
    static let callback = "https://client.example.com/callback"
    static let verifier = "conformance-code-verifier-that-is-at-least-43-characters"

    let revision: String
    let client: TestClient
    let clock: TestClock
    let kv: MemoryKV

    /// A harness over the fixture in process (the conformance suites' usual way).
    init(
        revision: String = "2026-07-28",
        canonicalResource: Bool = false,
        dynamicClientRegistration: Bool = true,
        resourceScopes: [String] = ["mcp:read"]
    ) throws {
        let clock = TestClock()
        let kv = MemoryKV(now: clock.nowFunction)
        let worker = try Self.fixture(canonicalResource, dynamicClientRegistration, resourceScopes, clock)
        // Requests arrive on the loopback listener; the fixture rewrites them to the public origin.
        let client = TestClient(
            handler: worker, env: makeEnv(kv: kv), origin: "http://127.0.0.1:8787",
            defaultHeaders: [("MCP-Protocol-Version", revision)]
        )
        self.init(revision: revision, client: client, clock: clock, kv: kv)
    }

    private init(revision: String, client: TestClient, clock: TestClock, kv: MemoryKV) {
        self.revision = revision
        self.client = client
        self.clock = clock
        self.kv = kv
    }

    private static func fixture(_ canonical: Bool, _ dcr: Bool, _ scopes: [String], _ clock: TestClock) throws -> Worker {
        try ConformanceProfile(
            origin: origin, canonicalResource: canonical, dynamicClientRegistration: dcr, resourceScopes: scopes,
            now: clock.nowFunction
        ).worker()
    }

    /// Runs `body` against the fixture in `mode`: called in process, or served on a loopback port and driven over
    /// real sockets (WorkersTesting's `test(_:)`), with the same assertions either way.
    static func test(
        _ mode: TestMode, revision: String = "2026-07-28", canonicalResource: Bool = false,
        _ body: (ConformanceHarness) async throws -> Void
    ) async throws {
        let clock = TestClock()
        let kv = MemoryKV(now: clock.nowFunction)
        let worker = try fixture(canonicalResource, true, ["mcp:read"], clock)
        try await worker.fetchHandler.test(
            mode, env: makeEnv(kv: kv), defaultHeaders: [("MCP-Protocol-Version", revision)]
        ) { client in
            try await body(ConformanceHarness(revision: revision, client: client, clock: clock, kv: kv))
        }
    }

    /// The resource the client sends for this revision (none before 2025-06-18).
    var clientResource: String? { revision >= "2025-06-18" ? Self.resource : nil }

    func createClient(_ method: String = "none", redirectURIs: [String] = [callback]) async throws -> FixtureClient {
        let response = try await client.postJSON(
            "/__fixture/clients",
            ["token_endpoint_auth_method": .string(method), "redirect_uris": .array(redirectURIs.map(JSONValue.string))]
        )
        #expect(response.status == 201)
        let json = try #require(response.json)
        return FixtureClient(id: try #require(json["client_id"]?.stringValue), secret: json["client_secret"]?.stringValue, method: method)
    }

    func authorize(
        _ fixtureClient: FixtureClient,
        scope: String = "mcp:read",
        state: String = "mcp-conformance-state",
        redirectURI: String = callback,
        resource: String?? = .none,
        challenge: String? = TokenCryptoVectors.s256(verifier),
        method: String? = "S256",
        extra: [(String, String)] = []
    ) async throws -> TestResponse {
        var items = [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: fixtureClient.id),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "scope", value: scope),
            URLQueryItem(name: "state", value: state),
        ]
        if let challenge { items.append(URLQueryItem(name: "code_challenge", value: challenge)) }
        if let method { items.append(URLQueryItem(name: "code_challenge_method", value: method)) }
        let resourceValue: String? = resource ?? clientResource
        if let resourceValue { items.append(URLQueryItem(name: "resource", value: resourceValue)) }
        items += extra.map { URLQueryItem(name: $0.0, value: $0.1) }
        var components = URLComponents(string: "/authorize")!
        components.queryItems = items
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return try await client.send(.get, components.string!)
    }

    func authorizeCode(_ fixtureClient: FixtureClient, scope: String = "mcp:read") async throws -> String {
        let response = try await authorize(fixtureClient, scope: scope)
        #expect(response.status == 302)
        return try #require(response.locationValues("code").first)
    }

    /// A token-endpoint request authenticated the way `fixtureClient` (or `as method`) authenticates.
    func tokenRequest(
        _ fixtureClient: FixtureClient,
        _ pairs: [(String, String)],
        as method: String? = nil,
        secret: String?? = .none
    ) async throws -> TestResponse {
        let method = method ?? fixtureClient.method
        let secret: String? = secret ?? fixtureClient.secret
        var pairs = pairs
        var headers: [(String, String)] = []
        switch method {
        case "client_secret_post":
            pairs += [("client_id", fixtureClient.id), ("client_secret", secret ?? "")]
        case "client_secret_basic" where secret != nil:
            let credentials = "\(fixtureClient.id):\(secret!)"
            headers.append(("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString()))
        default:
            pairs.append(("client_id", fixtureClient.id))
        }
        return try await client.postForm("/oauth/token", pairs, headers: headers)
    }

    func exchange(
        _ fixtureClient: FixtureClient,
        code: String,
        verifier: String = verifier,
        redirectURI: String = callback,
        resource: String?? = .none,
        as method: String? = nil,
        secret: String?? = .none
    ) async throws -> TestResponse {
        var pairs = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("code_verifier", verifier),
        ]
        if let value = resource ?? clientResource { pairs.append(("resource", value)) }
        return try await tokenRequest(fixtureClient, pairs, as: method, secret: secret)
    }

    func refresh(_ fixtureClient: FixtureClient, _ refreshToken: String, scope: String? = nil) async throws -> TestResponse {
        var pairs = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
        if let scope { pairs.append(("scope", scope)) }
        if let resource = clientResource { pairs.append(("resource", resource)) }
        return try await tokenRequest(fixtureClient, pairs)
    }

    func revoke(_ fixtureClient: FixtureClient, _ token: String, hint: String? = nil, as method: String? = nil) async throws
        -> TestResponse
    {
        var pairs = [("token", token)]
        if let hint { pairs.append(("token_type_hint", hint)) }
        return try await tokenRequest(fixtureClient, pairs, as: method)
    }

    /// Runs authorize + exchange and returns the token response JSON.
    func tokens(_ fixtureClient: FixtureClient, scope: String = "mcp:read") async throws -> JSONValue {
        let code = try await authorizeCode(fixtureClient, scope: scope)
        let response = try await exchange(fixtureClient, code: code)
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json)
    }

    func callAPI(_ path: String = "/mcp", token: String?) async throws -> TestResponse {
        try await client.send(.get, path, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }
}

enum TokenCryptoVectors {
    static func s256(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()
    }
}
