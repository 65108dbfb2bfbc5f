import Crypto
import Foundation
import HTTPTypes
import NIOHTTP1
import Testing
import WorkersRuntime
import WorkersTesting

/// The `conformance-fixture` executable driven over real sockets, as an outside conformance runner would.
@Suite("conformance-fixture executable")
struct ConformanceFixtureTests {
    static let binary = ChildServer.sibling("conformance-fixture")
    static let origin = "https://mcp.example.com"
    static let callback = "https://client.example.com/callback"
    static let verifier = "conformance-code-verifier-that-is-at-least-43-characters"

    static func start(kvDir: URL, backend: String) throws -> ChildServer {
        try ChildServer.start(
            binary,
            arguments: ["--port", "0", "--origin", origin, "--canonical-resource", "--kv-dir", kvDir.path, "--kv-backend", backend],
            announcement: .standardOutput
        )
    }

    /// `GET /authorize` for `clientID` (S256 with ``verifier``, scope `mcp:read`, the `/mcp` resource): the fixture's
    /// synthetic consent answers with the redirect carrying the code.
    static func authorize(_ fixture: ChildServer, clientID: String) async throws -> TestResponse {
        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()
        var query = URLComponents()
        query.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID),
            .init(name: "redirect_uri", value: callback), .init(name: "scope", value: "mcp:read"),
            .init(name: "state", value: "s1"), .init(name: "code_challenge", value: challenge),
            .init(name: "code_challenge_method", value: "S256"), .init(name: "resource", value: "\(origin)/mcp"),
        ]
        return try await TestClient().send(.get, fixture.url("/authorize?\(query.percentEncodedQuery!)"))
    }

    /// The fixture with `arguments` added, on a store in a temporary directory that `body` may use; stopped (and the
    /// directory removed) afterwards.
    static func withFixture<T>(_ arguments: [String], _ body: (ChildServer) async throws -> T) async throws -> T {
        let kvDir = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: kvDir) }
        let fixture = try ChildServer.start(
            binary, arguments: ["--port", "0", "--origin", origin, "--canonical-resource", "--kv-dir", kvDir.path] + arguments,
            announcement: .standardOutput
        )
        do {
            let result = try await body(fixture)
            #expect(await fixture.stop() == 0)
            return result
        } catch {
            _ = await fixture.stop()
            throw error
        }
    }

    @Test("a public client completes the S256 flow, and its token survives a restart of the fixture", arguments: ["sqlite", "file"])
    func flowAndRestart(backend: String) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let kvDir = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: kvDir) }
        let client = TestClient()

        let fixture = try Self.start(kvDir: kvDir, backend: backend)
        let registered = try await client.send(
            .post, fixture.url("/__fixture/clients"),
            body: #"{"token_endpoint_auth_method":"none","redirect_uris":["\#(Self.callback)"]}"#
        )
        #expect(registered.status == 201)
        let clientID = try #require(registered.json?["client_id"]?.stringValue)

        let authorize = try await Self.authorize(fixture, clientID: clientID)
        #expect(authorize.status == 302)
        let location = try #require(authorize.header("location").flatMap(URLComponents.init(string:)))
        #expect(location.queryItems?.first { $0.name == "iss" }?.value == Self.origin)
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)

        let token = try await client.postForm(fixture.url("/oauth/token"), [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.callback),
            ("code_verifier", Self.verifier), ("client_id", clientID), ("resource", "\(Self.origin)/mcp"),
        ])
        #expect(token.status == 200)
        #expect(token.json?["resource"] == .string("\(Self.origin)/mcp"))
        let access = try #require(token.json?["access_token"]?.stringValue)

        let api = try await client.send(.get, fixture.url("/mcp"), headers: [("Authorization", "Bearer \(access)"), ("MCP-Protocol-Version", "2025-06-18")])
        #expect(api.status == 200)
        #expect(api.json?["props"]?["subject"] == "conformance-user")
        #expect(await fixture.stop() == 0)

        let restarted = try Self.start(kvDir: kvDir, backend: backend)
        let again = try await client.send(.get, restarted.url("/mcp"), headers: [("Authorization", "Bearer \(access)")])
        // A resource server (a confidential fixture client) introspects the token at /oauth/introspect.
        let resourceServer = try await client.send(
            .post, restarted.url("/__fixture/clients"),
            body: #"{"token_endpoint_auth_method":"client_secret_basic","redirect_uris":["\#(Self.callback)"]}"#
        )
        let credentials = [resourceServer.json?["client_id"], resourceServer.json?["client_secret"]].map { $0?.stringValue ?? "" }
        let basic = "Basic " + Data(credentials.joined(separator: ":").utf8).base64EncodedString()
        let introspected = try await client.postForm(restarted.url("/oauth/introspect"), [("token", access)], headers: [("Authorization", basic)])
        let replay = try await client.postForm(restarted.url("/oauth/token"), [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.callback),
            ("code_verifier", Self.verifier), ("client_id", clientID),
        ])
        let afterReplay = try await client.send(.get, restarted.url("/mcp"), headers: [("Authorization", "Bearer \(access)")])
        let introspectedAfterReplay = try await client.postForm(
            restarted.url("/oauth/introspect"), [("token", access)], headers: [("Authorization", basic)]
        )
        #expect(await restarted.stop() == 0)
        #expect(again.status == 200, "grants and tokens persist across restarts")
        #expect(replay.status == 400)
        #expect(afterReplay.status == 401, "a replayed code revokes what it issued")
        #expect(introspected.status == 200)
        #expect(introspected.json?["active"] == true)
        #expect(introspected.json?["client_id"] == .string(clientID))
        #expect(introspected.json?["aud"] == .string("\(Self.origin)/mcp"))
        #expect(introspectedAfterReplay.json == ["active": false])
    }
}
