import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WorkersKV
import WorkersRuntime

@testable import HummingbirdApp

/// The `hummingbird-app` example end to end over a live socket: a client registers, a user approves it on the app's
/// own authorization page (PKCE), the code becomes a token, and the token opens the app's protected Hummingbird
/// routes and the Worker mounted among them, each seeing the grant's props.
@Suite("hummingbird-app through app.test(.live)")
struct HummingbirdAppTests {
    static let redirectURI = "http://127.0.0.1:9999/callback"
    static let verifier = "hummingbird-app-test-code-verifier-0123456789-abcdefghij"

    /// The example's router over a real SQLite KV file, served live.
    static func withApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hb-app-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let kv = try SQLiteKV(path: directory.appendingPathComponent("OAUTH_KV.sqlite"))
        let router = try HummingbirdApp.router(env: Env(bindings: ["OAUTH_KV": kv]))
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live, body)
    }

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        var components = URLComponents()
        components.queryItems = fields.map { URLQueryItem(name: $0.0, value: $0.1) }
        // URLComponents leaves "+" alone in a query; a form body would read it as a space.
        return ByteBuffer(string: components.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B"))
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONValue(parsing: Data(buffer.readableBytesView))
    }

    /// Registers a public client, approves it as `user` and exchanges the code: the access token.
    static func signIn(_ client: any TestClientProtocol, as user: String) async throws -> String {
        let registration = try await client.execute(
            uri: "/register", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"redirect_uris": ["\#(redirectURI)"], "client_name": "Test <Client>", "token_endpoint_auth_method": "none"}"#))
        #expect(registration.status == .created)
        let clientID = try #require(try json(registration.body)["client_id"]?.stringValue)

        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        var authorize = URLComponents()
        authorize.path = "/authorize"
        authorize.queryItems = [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI), URLQueryItem(name: "scope", value: "profile"),
            URLQueryItem(name: "state", value: "st-123"), URLQueryItem(name: "code_challenge", value: challenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        let uri = try #require(authorize.string)

        let page = try await client.execute(uri: uri, method: .get)
        #expect(page.status == .ok)
        let html = String(buffer: page.body)
        #expect(html.contains("Test &lt;Client&gt; wants to access your account"))
        #expect(html.contains("<form method=\"post\""))

        // A user name the provider cannot take (a ":" would split its user id) is refused before any grant exists.
        let refused = try await client.execute(uri: uri, method: .post, headers: formHeaders, body: form([("username", "a:b")]))
        #expect(refused.status == .badRequest)

        let approved = try await client.execute(uri: uri, method: .post, headers: formHeaders, body: form([("username", user)]))
        #expect(approved.status == .found)
        let location = try #require(approved.headers[.location].flatMap(URLComponents.init(string:)))
        #expect(location.host == "127.0.0.1" && location.path == "/callback")
        #expect(location.queryItems?.first { $0.name == "state" }?.value == "st-123")
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)

        let token = try await client.execute(
            uri: "/token", method: .post, headers: formHeaders,
            body: form([
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("client_id", clientID),
                ("code_verifier", verifier),
            ]))
        #expect(token.status == .ok)
        let tokens = try json(token.body)
        #expect(tokens["token_type"]?.stringValue?.lowercased() == "bearer")
        return try #require(tokens["access_token"]?.stringValue)
    }

    @Test("register, authorize with PKCE on the app's page, exchange the code, call the app's protected routes")
    func fullFlow() async throws {
        try await Self.withApp { client in
            let accessToken = try await Self.signIn(client, as: "alice")
            let bearer: HTTPFields = [.authorization: "Bearer \(accessToken)"]

            let me = try await client.execute(uri: "/api/me", method: .get, headers: bearer)
            #expect(me.status == .ok)
            #expect(try Self.json(me.body) == ["user": ["login": "alice"]])

            let worker = try await client.execute(uri: "/api/worker/notes?x=1", method: .get, headers: bearer)
            #expect(worker.status == .ok)
            #expect(try Self.json(worker.body) == ["worker": "PropsEchoWorker", "path": "/api/worker/notes", "props": ["login": "alice"]])

            // The provider's CORS headers on a protected route's answer, as on its own API routes.
            var withOrigin = bearer
            withOrigin[.origin] = "https://app.example"
            let cors = try await client.execute(uri: "/api/me", method: .get, headers: withOrigin)
            #expect(cors.status == .ok)
            #expect(cors.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(cors.headers[.accessControlExposeHeaders]?.contains("WWW-Authenticate") == true)
        }
    }

    @Test("no token or a wrong one: 401 with the provider's challenge, for Hummingbird routes and the mounted Worker")
    func protectedWithoutToken() async throws {
        try await Self.withApp { client in
            for uri in ["/api/me", "/api/worker", "/api/worker/deeper", "/api"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .unauthorized, "\(uri)")
                let challenge = try #require(response.headers[.wwwAuthenticate], "\(uri)")
                #expect(challenge.hasPrefix("Bearer realm=\"OAuth\""))
                #expect(challenge.contains("resource_metadata=\"http://localhost/.well-known/oauth-protected-resource\(uri)\""))
            }
            let forged = try await client.execute(
                uri: "/api/me", method: .get, headers: [.authorization: "Bearer user:grant:not-a-real-secret"])
            #expect(forged.status == .unauthorized)
            #expect(forged.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)
            // /apix is not under /api.
            #expect(try await client.execute(uri: "/apix", method: .get).status == .notFound)
        }
    }

    @Test("the app's unprotected routes and the provider's metadata need no token")
    func unprotected() async throws {
        try await Self.withApp { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok && String(buffer: health.body) == "ok\n")

            let metadata = try await client.execute(uri: "/.well-known/oauth-authorization-server", method: .get)
            #expect(metadata.status == .ok)
            let document = try Self.json(metadata.body)
            #expect(document["issuer"] == "http://localhost")
            #expect(document["token_endpoint"] == "http://localhost/token")
            #expect(document["authorization_endpoint"] == "http://localhost/authorize")
            #expect(document["registration_endpoint"] == "http://localhost/register")

            let resource = try await client.execute(uri: "/.well-known/oauth-protected-resource/api/me", method: .get)
            #expect(resource.status == .ok)
            #expect(try Self.json(resource.body)["resource"] == "http://localhost/api/me")

            #expect(try await client.execute(uri: "/nowhere", method: .get).status == .notFound)
        }
    }

    @Test("bad input gets a 4xx: an unknown client on the authorization page, a bad token request")
    func badInput() async throws {
        try await Self.withApp { client in
            let unknown = try await client.execute(
                uri: "/authorize?response_type=code&client_id=nobody&redirect_uri=http%3A%2F%2Fevil.example%2F&state=s",
                method: .get)
            #expect(unknown.status == .badRequest)
            #expect(unknown.headers[.location] == nil)

            let token = try await client.execute(
                uri: "/token", method: .post, headers: Self.formHeaders, body: Self.form([("grant_type", "authorization_code"), ("code", "x")]))
            #expect((400..<500).contains(token.status.code))
            #expect(try Self.json(token.body)["error"] != nil)
        }
    }
}
