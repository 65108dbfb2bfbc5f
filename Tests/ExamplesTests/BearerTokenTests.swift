import Foundation
import HTTPTypes
import NIOHTTP1
import Testing
import WorkersRuntime
import WorkersTesting

@testable import BearerToken

@Suite("bearer-token example over real sockets")
struct BearerTokenTests {
    let client = TestClient()
    let token = "s3cr3t-token_value"

    func start(secrets: [String: String]) async throws -> LiveServer {
        let env = Env(secrets: secrets)
        return try await LiveServer.start(worker: try BearerTokenWorker.make(env: env), env: env)
    }

    @Test("no Authorization header: 401 with a Bearer challenge and a JSON error")
    func missingToken() async throws {
        let server = try await start(secrets: ["MCP_SECRET_TOKEN": token])
        let response = try await client.send(.get, server.url("/mcp"))
        try await server.stop()
        #expect(response.status == 401)
        #expect(response.header("www-authenticate") == "Bearer realm=\"bearer-token\"")
        #expect(response.json?["error"] == "unauthorized")
    }

    @Test("wrong token: 401 invalid_token")
    func wrongToken() async throws {
        let server = try await start(secrets: ["MCP_SECRET_TOKEN": token])
        let response = try await client.send(.get, server.url("/mcp"), headers: [("Authorization", "Bearer nope")])
        try await server.stop()
        #expect(response.status == 401)
        #expect(response.header("www-authenticate")?.contains("error=\"invalid_token\"") == true)
        #expect(response.json?["error"] == "invalid_token")
        #expect(!response.text.contains(token))
    }

    @Test("right token, in any scheme case, reaches the handler with the identity in props")
    func rightToken() async throws {
        let server = try await start(secrets: ["MCP_SECRET_TOKEN": token])
        // /mcp is the MCP server now (issue 16): the JSON hello answers every other path.
        let upper = try await client.send(.post, server.url("/api"), headers: [("Authorization", "Bearer \(token)")])
        let lower = try await client.send(.get, server.url("/x"), headers: [("Authorization", "bearer \(token)")])
        try await server.stop()
        #expect(upper.status == 200)
        #expect(upper.json?["method"] == "POST")
        #expect(upper.json?["identity"]?["token"] == "MCP_SECRET_TOKEN")
        #expect(lower.status == 200)
        #expect(lower.json?["path"] == "/x")
    }

    @Test("a token with trailing junk or another scheme is refused")
    func malformed() async throws {
        let server = try await start(secrets: ["MCP_SECRET_TOKEN": token])
        for header in ["Bearer \(token) junk", "Bearer \(token)x", "Basic \(token)", "Bearer", "Bearer  ", "\(token)"] {
            let response = try await client.send(.get, server.url("/"), headers: [("Authorization", header)])
            #expect(response.status == 401, "accepted \(header)")
        }
        try await server.stop()
    }

    @Test("two secrets rotate: old and new are both accepted")
    func rotation() async throws {
        let server = try await start(secrets: ["MCP_SECRET_TOKEN": "old-token", "MCP_SECRET_TOKEN_NEXT": "new-token"])
        let old = try await client.send(.get, server.url("/"), headers: [("Authorization", "Bearer old-token")])
        let new = try await client.send(.get, server.url("/"), headers: [("Authorization", "Bearer new-token")])
        try await server.stop()
        #expect(old.status == 200)
        #expect(new.status == 200)
        #expect(new.json?["identity"]?["token"] == "MCP_SECRET_TOKEN_NEXT")
    }

    @Test("refuses to start without MCP_SECRET_TOKEN, telling the user what to run")
    func refusesWithoutSecret() throws {
        let error = #expect(throws: MissingSecretError.self) { try BearerTokenWorker.make(env: Env()) }
        #expect(error?.description.contains("secret put MCP_SECRET_TOKEN") == true)
    }

    @Test("/mcp is an MCP server behind the token: initialize, then tools/call whoami and echo")
    func mcp() async throws {
        let server = try await start(secrets: ["MCP_SECRET_TOKEN": token])
        let bearer = [("Authorization", "Bearer \(token)"), ("Accept", "application/json, text/event-stream"),
                      ("Content-Type", "application/json")]
        let initialize = try await client.send(.post, server.url("/mcp"), headers: bearer + [("Accept", "application/json")], body: """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
            "clientInfo":{"name":"t","version":"1"}}}
            """)
        let session = try #require(initialize.header("mcp-session-id"), "\(initialize.status) \(initialize.text)")
        let headers = bearer + [("MCP-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")]
        let whoami = try await client.send(.post, server.url("/mcp"), headers: headers, body: """
            {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}
            """)
        let echo = try await client.send(.post, server.url("/mcp"), headers: headers, body: """
            {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi there"}}}
            """)
        let anonymous = try await client.send(.post, server.url("/mcp"), headers: Array(bearer.dropFirst()), body: "{}")
        try await server.stop()
        let whoamiText = try Self.toolText(whoami)
        let identity = try JSONValue(parsing: Data(try #require(whoamiText, "\(whoami.text)").utf8))
        #expect(identity["token"] == "MCP_SECRET_TOKEN")
        #expect(try Self.toolText(echo) == "hi there")
        #expect(!whoami.text.contains(token))
        #expect(anonymous.status == 401)
        #expect(anonymous.header("www-authenticate") == "Bearer realm=\"bearer-token\"")
    }

    /// The text of a `tools/call` result, from a JSON or an event-stream answer.
    static func toolText(_ response: TestResponse) throws -> String? {
        let body = response.text.hasPrefix("{")
            ? response.text : response.text.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
        guard let body else { return nil }
        return try JSONValue(parsing: Data(body.utf8))["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue
    }
}
