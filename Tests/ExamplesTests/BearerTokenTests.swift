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
        let upper = try await client.send(.post, server.url("/mcp"), headers: [("Authorization", "Bearer \(token)")])
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
}
