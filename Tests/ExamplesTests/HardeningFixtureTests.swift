import Crypto
import Foundation
import HTTPTypes
import NIOHTTP1
import Testing
import WorkersRuntime
import WorkersTesting

/// The security hardening driven against the real `conformance-fixture` binary over sockets, as the attacks were.
@Suite("Hardening against the conformance-fixture executable")
struct HardeningFixtureTests {
    static let origin = "https://mcp.example.com"
    static let callback = "https://client.example.com/callback"
    static let verifier = "hardening-code-verifier-that-is-long-enough-for-rfc-7636"

    /// A fixture on a fresh store, stopped (and its store removed) after `body`.
    static func withFixture<T>(_ extra: [String] = [], _ body: (ChildServer) async throws -> T) async throws -> T {
        let binary = ChildServer.sibling("conformance-fixture")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build with swift build --build-tests")
        let kvDir = FileManager.default.temporaryDirectory.appendingPathComponent("hardening-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: kvDir) }
        let fixture = try ChildServer.start(
            binary, arguments: ["--port", "0", "--origin", origin, "--kv-dir", kvDir.path] + extra, announcement: .standardOutput
        )
        do {
            let result = try await body(fixture)
            _ = await fixture.stop()
            return result
        } catch {
            _ = await fixture.stop()
            throw error
        }
    }

    static func register(_ fixture: ChildServer, _ body: String) async throws -> TestClient.Response {
        try await TestClient().send(.post, fixture.url("/oauth/register"), headers: [("Content-Type", "application/json")], body: body)
    }

    static func publicClient(_ fixture: ChildServer, grantTypes: String = #"["authorization_code","refresh_token"]"#) async throws
        -> String
    {
        let response = try await register(
            fixture, #"{"redirect_uris":["\#(callback)"],"token_endpoint_auth_method":"none","grant_types":\#(grantTypes)}"#
        )
        #expect(response.status == 201, "\(response.text)")
        return try #require(response.json?["client_id"]?.stringValue)
    }

    static func code(_ fixture: ChildServer, clientID: String, verifier: String = verifier, extra: [URLQueryItem] = []) async throws
        -> TestClient.Response
    {
        var query = URLComponents()
        query.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID),
            .init(name: "redirect_uri", value: callback), .init(name: "scope", value: "mcp:read"), .init(name: "state", value: "s"),
            .init(name: "code_challenge", value: Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()),
            .init(name: "code_challenge_method", value: "S256"),
        ] + extra
        return try await TestClient().send(.get, fixture.url("/authorize?\(query.percentEncodedQuery!)"))
    }

    static func tokens(_ fixture: ChildServer, clientID: String) async throws -> JSONValue {
        let authorize = try await code(fixture, clientID: clientID)
        let location = try #require(authorize.header("location").flatMap(URLComponents.init(string:)))
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
        let token = try await TestClient().postForm(fixture.url("/oauth/token"), [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", callback),
            ("code_verifier", verifier), ("client_id", clientID),
        ])
        #expect(token.status == 200, "\(token.text)")
        return try #require(token.json)
    }

    static func refresh(_ fixture: ChildServer, clientID: String, _ token: String) async throws -> TestClient.Response {
        try await TestClient().postForm(
            fixture.url("/oauth/token"), [("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", clientID)]
        )
    }

    @Test("a refresh token presented after two rotations is reuse: the whole grant is revoked")
    func refreshReuse() async throws {
        try await Self.withFixture { fixture in
            let clientID = try await Self.publicClient(fixture)
            let issued = try await Self.tokens(fixture, clientID: clientID)
            let rt0 = try #require(issued["refresh_token"]?.stringValue)
            let rt1 = try #require(try await Self.refresh(fixture, clientID: clientID, rt0).json?["refresh_token"]?.stringValue)
            let second = try await Self.refresh(fixture, clientID: clientID, rt1)
            let rt2 = try #require(second.json?["refresh_token"]?.stringValue)
            let access = try #require(second.json?["access_token"]?.stringValue)

            let attack = try await Self.refresh(fixture, clientID: clientID, rt0)
            #expect(attack.status == 400)
            #expect(attack.json?["error"] == "invalid_grant")
            #expect(try await Self.refresh(fixture, clientID: clientID, rt2).status == 400, "the grant was revoked")
            let api = try await TestClient().send(.get, fixture.url("/mcp"), headers: [("Authorization", "Bearer \(access)")])
            #expect(api.status == 401)
        }
    }

    @Test("registration: 200 KB is 413, http on a public host is invalid_redirect_uri, a code-only client gets no refresh token")
    func registrationBounds() async throws {
        try await Self.withFixture { fixture in
            let name = String(repeating: "x", count: 200_000)
            let huge = try await Self.register(fixture, #"{"redirect_uris":["\#(Self.callback)"],"client_name":"\#(name)"}"#)
            #expect(huge.status == 413)
            let plainHTTP = try await Self.register(fixture, #"{"redirect_uris":["http://evil.example/cb"]}"#)
            #expect(plainHTTP.status == 400)
            #expect(plainHTTP.json?["error"] == "invalid_redirect_uri")

            let codeOnly = try await Self.publicClient(fixture, grantTypes: #"["authorization_code"]"#)
            let tokens = try await Self.tokens(fixture, clientID: codeOnly)
            #expect(tokens["refresh_token"] == nil)
            let refresh = try await Self.refresh(fixture, clientID: codeOnly, "conformance-user:x:y")
            #expect(refresh.json?["error"] == "unauthorized_client")
        }
    }

    @Test("rate limits are off by default (suites register in bursts) and on with --rate-limits: 429 with Retry-After")
    func rateLimitFlag() async throws {
        let body = #"{"redirect_uris":["\#(Self.callback)"],"token_endpoint_auth_method":"none"}"#
        let unlimited = try await Self.withFixture { fixture in
            var statuses: [Int] = []
            for _ in 0..<15 { statuses.append(try await Self.register(fixture, body).status) }
            return statuses
        }
        #expect(unlimited == Array(repeating: 201, count: 15))
        let (limited, elapsed) = try await Self.withFixture(["--rate-limits"]) { fixture in
            let start = ContinuousClock.now
            var responses: [TestClient.Response] = []
            for _ in 0..<20 { responses.append(try await Self.register(fixture, body)) }
            return (responses, ContinuousClock.now - start)
        }
        // A burst of 10, then one more every 3 s (20 a minute) however slowly this machine sends them.
        let admitted = limited.filter { $0.status == 201 }.count
        #expect(admitted >= 10)
        #expect(admitted <= 10 + Int((elapsed / .seconds(3)).rounded(.up)), "\(admitted) admitted in \(elapsed)")
        let refused = try #require(limited.first { $0.status == 429 }, "no registration was refused")
        #expect(refused.header("retry-after").flatMap(Int.init) != nil)
        #expect(refused.json?["error"] == "temporarily_unavailable")
    }

    @Test("PKCE verifiers outside RFC 7636, repeated parameters and foreign resources are refused")
    func authorizationInputs() async throws {
        try await Self.withFixture { fixture in
            let clientID = try await Self.publicClient(fixture)
            let short = "abcde"
            let authorize = try await Self.code(fixture, clientID: clientID, verifier: short)
            let code = try #require(authorize.header("location").flatMap(URLComponents.init(string:))?.queryItems?.first { $0.name == "code" }?.value)
            let token = try await TestClient().postForm(fixture.url("/oauth/token"), [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.callback),
                ("code_verifier", short), ("client_id", clientID),
            ])
            #expect(token.status == 400)
            #expect(token.json?["error"] == "invalid_grant")

            let repeated = try await Self.code(fixture, clientID: clientID, extra: [.init(name: "client_id", value: clientID)])
            #expect(repeated.status == 400)
            #expect(repeated.header("location") == nil)
            let foreign = try await Self.code(fixture, clientID: clientID, extra: [.init(name: "resource", value: "https://evil.example/mcp")])
            #expect(foreign.status == 400)
            #expect(foreign.json?["error"] == "invalid_target")
        }
    }
}
