import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// A provider with introspection on at `/oauth/introspect`, served on a loopback port over a real SQLite file, for
/// ``IntrospectionTests``. The provider runs on a ``TestClock``; the SQLite file keeps the real clock, so a record's
/// expiry in the store never hides the endpoint's own expiry check.
struct IntrospectionServer {
    static let callback = "https://app.example.com/callback"
    static let resource = "https://notes.example.com/mcp"
    static let verifier = "a-verifier-that-is-long-enough-to-satisfy-rfc-7636-rules"

    let clock: TestClock
    let kv: SQLiteKV
    let server: LiveServer
    let client: TestClient
    let helpers: OAuthHelpers

    /// Runs `body` against a fresh server, then stops it and removes its database.
    static func with(
        configure: (inout OAuthProvider.Options) -> Void = { _ in },
        _ body: (IntrospectionServer) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("introspect-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestClock()
        let kv = try SQLiteKV(path: directory.appendingPathComponent("kv.sqlite"))
        var options = OAuthProvider.Options(
            authorizeEndpoint: "/authorize",
            tokenEndpoint: "/oauth/token",
            clientRegistrationEndpoint: "/oauth/register",
            introspectionEndpoint: "/oauth/introspect",
            scopesSupported: ["read", "write"],
            resourceMetadata: ResourceMetadata(resource: resource),
            registrationRateLimit: nil,
            now: clock.nowFunction
        )
        configure(&options)
        let provider = try OAuthProvider(
            apiRoute: ["/api"],
            apiHandler: FetchHandler { _, _, _ in Response.text("api") },
            defaultHandler: FetchHandler { request, _, _ in Response.text("default \(request.path)", status: .notFound) },
            options: options
        )
        let env = Env(bindings: ["OAUTH_KV": kv])
        let server = try await LiveServer.start(worker: Worker(fetch: provider), env: env)
        let harness = IntrospectionServer(
            clock: clock, kv: kv, server: server, client: TestClient(baseURL: server.baseURL), helpers: try provider.helpers(env: env)
        )
        do {
            try await body(harness)
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
    }

    /// The issuer: the server's own origin (its token endpoint is a path).
    var issuer: String { server.baseURL.absoluteString }

    /// An operator-created client (``OAuthHelpers/createClient(_:)``).
    func createClient(_ method: TokenEndpointAuthMethod) async throws -> RegisteredClient {
        try await helpers.createClient(ClientInfo(redirectURIs: [Self.callback], tokenEndpointAuthMethod: method))
    }

    /// A confidential client registered dynamically (RFC 7591) over the socket.
    func registerClient() async throws -> RegisteredClient {
        let response = try await client.postJSON(
            "/oauth/register",
            ["redirect_uris": [.string(Self.callback)], "token_endpoint_auth_method": "client_secret_basic"]
        )
        #expect(response.status == 201, "\(response.text)")
        let json = try #require(response.json)
        let id = try #require(json["client_id"]?.stringValue)
        let client = try #require(try await helpers.lookupClient(id))
        return RegisteredClient(client: client, clientSecret: try #require(json["client_secret"]?.stringValue))
    }

    /// Authorizes `registered` for alice (consent through the helpers) and redeems the code over the socket.
    func issue(_ registered: RegisteredClient, props: JSONValue = ["login": "alice", "upstream": "gho_secret"]) async throws
        -> (access: String, refresh: String)
    {
        var components = URLComponents(url: server.url("/authorize"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: registered.client.clientID),
            URLQueryItem(name: "redirect_uri", value: Self.callback),
            URLQueryItem(name: "scope", value: "read write"),
            URLQueryItem(name: "state", value: "xyz"),
            URLQueryItem(name: "code_challenge", value: TokenCryptoVectors.s256(Self.verifier)),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        let authRequest = try await helpers.parseAuthRequest(Request(url: components.url!))
        let done = try await helpers.completeAuthorization(
            CompleteAuthorizationOptions(request: authRequest, userID: "alice", scope: authRequest.scope, props: props)
        )
        let code = try #require(URLComponents(string: done.redirectTo)?.queryItems?.first { $0.name == "code" }?.value)
        let response = try await token(
            registered,
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.callback), ("code_verifier", Self.verifier)]
        )
        #expect(response.status == 200, "\(response.text)")
        return (try #require(response.json?["access_token"]?.stringValue), try #require(response.json?["refresh_token"]?.stringValue))
    }

    /// A token-endpoint request (a grant or an RFC 7009 revocation) authenticated as `registered` authenticates.
    func token(_ registered: RegisteredClient, _ pairs: [(String, String)]) async throws -> TestResponse {
        let (pairs, headers) = Self.authenticated(registered, pairs)
        return try await client.postForm("/oauth/token", pairs, headers: headers)
    }

    /// Introspects `token` as `registered`, with its registered authentication method.
    func introspect(_ token: String, as registered: RegisteredClient, extra: [(String, String)] = []) async throws -> TestResponse {
        let (pairs, headers) = Self.authenticated(registered, [("token", token)] + extra)
        return try await client.postForm("/oauth/introspect", pairs, headers: headers)
    }

    /// `pairs` and headers carrying `registered`'s credentials the way it registered to send them.
    static func authenticated(_ registered: RegisteredClient, _ pairs: [(String, String)]) -> ([(String, String)], [(String, String)]) {
        switch registered.client.tokenEndpointAuthMethod {
        case .clientSecretBasic:
            return (pairs, [("Authorization", basic(registered.client.clientID, registered.clientSecret ?? ""))])
        case .clientSecretPost:
            return (pairs + [("client_id", registered.client.clientID), ("client_secret", registered.clientSecret ?? "")], [])
        default:
            return (pairs + [("client_id", registered.client.clientID)], [])
        }
    }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }
}

/// Checks the RFC 7662 §4 caching headers every introspection answer carries.
func expectNoStore(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
    #expect(response.header("Pragma") == "no-cache", sourceLocation: sourceLocation)
}
