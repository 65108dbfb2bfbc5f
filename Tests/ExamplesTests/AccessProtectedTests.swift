import Crypto
import Foundation
import HTTPTypes
import JWTKit
import NIOHTTP1
import Testing
import WorkersRuntime
import WorkersServer
import WorkersTesting

@testable import AccessProtected

@Suite("access-protected example over real sockets")
struct AccessProtectedTests {
    struct Claims: JWTPayload {
        var iss: String
        var aud: [String]
        var exp: Int
        var iat: Int
        var sub: String
        var email: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static let audience = "aud-tag-0123456789"
    let client = TestClient()

    /// A key set server on loopback and an ES256 key whose public half it serves.
    func startKeySet() async throws -> (LiveServer, ES256PrivateKey) {
        let key = try ES256PrivateKey(backing: P256.Signing.PrivateKey())
        let parameters = try #require(key.parameters)
        let jwks: JSONValue = [
            "keys": [["kty": "EC", "crv": "P-256", "kid": "k1", "x": .string(parameters.x), "y": .string(parameters.y)]]
        ]
        let server = try await LiveServer.start(worker: Worker { _, _, _ in try Response.json(jwks) })
        return (server, key)
    }

    func assertion(key: ES256PrivateKey, issuer: String) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key, kid: "k1")
        let now = Int(Date().timeIntervalSince1970)
        return try await keys.sign(
            Claims(iss: issuer, aud: [Self.audience], exp: now + 300, iat: now, sub: "user-1", email: "ada@example.com"),
            kid: "k1"
        )
    }

    func env(jwks: URL, issuer: String) -> Env {
        Env(
            vars: ["ACCESS_JWKS_URL": .string(jwks.absoluteString), "ACCESS_ISSUER": .string(issuer), "ACCESS_AUD": .string(Self.audience)],
            fetcher: HTTPClientFetcher()
        )
    }

    /// The JSON-RPC payload of an MCP response, sent as JSON or as SSE events (the last event with data wins; the
    /// SDK primes a stream with an empty event first).
    func rpc(_ response: TestClient.Response) throws -> JSONValue {
        let text = response.text
        let events = text.split(separator: "\n").filter { $0.hasPrefix("data:") }.map { $0.dropFirst(5).trimmingCharacters(in: .whitespaces) }
        let json = text.hasPrefix("{") ? text : events.last { !$0.isEmpty } ?? ""
        return try JSONValue(parsing: Data(json.utf8))
    }

    @Test("refuses to start without its vars, naming them")
    func missingVars() {
        #expect {
            _ = try AccessProtectedWorker.make(env: Env())
        } throws: { error in
            "\(error)".contains("ACCESS_TEAM_DOMAIN") && "\(error)".contains("ACCESS_AUD")
        }
    }

    @Test("a key set URL over plain HTTP off loopback is refused")
    func insecureJWKS() {
        let env = Env(vars: ["ACCESS_JWKS_URL": "http://keys.example.com/certs", "ACCESS_ISSUER": "https://i.example", "ACCESS_AUD": "a"])
        #expect(throws: (any Error).self) { _ = try AccessProtectedWorker.make(env: env) }
    }

    @Test("without an assertion /mcp is 401; with a valid one an MCP client initializes and calls whoami")
    func mcpBehindAccess() async throws {
        let (keySet, key) = try await startKeySet()
        let issuer = "https://myteam.cloudflareaccess.com"
        let env = env(jwks: keySet.url("/cdn-cgi/access/certs"), issuer: issuer)
        let server = try await LiveServer.start(worker: try AccessProtectedWorker.make(env: env), env: env)
        let mcpHeaders = [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")]
        let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#

        let anonymous = try await client.send(.post, server.url("/mcp"), headers: mcpHeaders, body: initialize)
        #expect(anonymous.status == 401)

        let forged = try await client.send(
            .post, server.url("/mcp"),
            headers: mcpHeaders + [("Cf-Access-Jwt-Assertion", try await assertion(key: key, issuer: "https://evil.example"))],
            body: initialize
        )
        #expect(forged.status == 403)

        let token = try await assertion(key: key, issuer: issuer)
        let signedIn = mcpHeaders + [("Cf-Access-Jwt-Assertion", token)]
        let initialized = try await client.send(.post, server.url("/mcp"), headers: signedIn, body: initialize)
        #expect(initialized.status == 200)
        #expect(try rpc(initialized)["result"]?["serverInfo"]?["name"] == "access-protected")
        let session = try #require(initialized.header("mcp-session-id"))

        let withSession = signedIn + [("MCP-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")]
        _ = try await client.send(.post, server.url("/mcp"), headers: withSession, body: #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        let call = try await client.send(
            .post, server.url("/mcp"), headers: withSession,
            body: #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}"#
        )
        #expect(call.status == 200)
        let text = try rpc(call)["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue
        #expect(text?.hasPrefix("You are ada@example.com") == true)

        try await server.stop()
        try await keySet.stop()
    }
}
