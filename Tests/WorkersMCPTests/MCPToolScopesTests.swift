import Foundation
import HTTPTypes
import MCP
import Testing
import WorkersMCP
import WorkersRuntime
import WorkersServer
import WorkersTesting

/// Tools that need scopes (``MCPHandler/Configuration/toolScopes``): refused with `403 insufficient_scope` by the
/// guard in front, and sessions that survive a client's re-authorization for more scopes.
@Suite("MCP tool scopes over real sockets")
struct MCPToolScopesTests {
    let client = TestClient()

    /// Admits every request as user `X-User` of client `app` with the scopes of `X-Scopes` and props `X-Props`
    /// (standing in for an OAuth guard: what it hands over is what the MCP handler sees).
    struct HeaderGuard: RequestGuard {
        func check(_ request: WorkersRuntime.Request, env: Env) async throws -> GuardDecision {
            let token = AccessTokenInfo(
                clientID: "app", scopes: (request.header("X-Scopes") ?? "").split(separator: " ").map(String.init),
                subject: request.header("X-User"), resource: "http://127.0.0.1/mcp"
            )
            return .allow(props: ["grant": .string(request.header("X-Props") ?? "")], token: token)
        }
    }

    static func server(_ mode: MCPHandler.SessionMode = .stateful) async throws -> LiveServer {
        let mcp = MCPHandler(
            name: "scoped", version: "1", configuration: .init(sessionMode: mode, responseMode: .json, toolScopes: ["write": ["notes:write"]])
        ) { server, session in
            server.withMethodHandler(CallTool.self) { params in
                let scopes = MCPRequestContext.current?.accessToken?.scopes.joined(separator: " ") ?? "none"
                return .init(content: [.text(text: "\(params.name) with \(scopes)", annotations: nil, _meta: nil)])
            }
        }
        return try await LiveServer.start(worker: Worker(fetch: mcp.guarded(by: HeaderGuard())))
    }

    func post(_ server: LiveServer, _ body: String, session: String? = nil, user: String = "alice", scopes: String, props: String = "1")
        async throws -> TestResponse
    {
        var headers = [
            ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"), ("X-User", user),
            ("X-Scopes", scopes), ("X-Props", props),
        ]
        if let session { headers.append(("MCP-Session-Id", session)) }
        return try await client.send(.post, server.url("/mcp"), headers: headers, body: body)
    }

    @Test func aToolNeedingAScopeTheTokenLacksIsRefusedBeforeItRuns() async throws {
        let server = try await Self.server()
        let opened = try await post(server, MCPHandlerTests.initialize, scopes: "notes:read")
        let session = try #require(opened.header("MCP-Session-Id"))

        let refused = try await post(server, MCPHandlerTests.call("write"), session: session, scopes: "notes:read")
        #expect(refused.status == 403)
        #expect(refused.json?["error"]?.stringValue == "insufficient_scope")
        #expect(refused.header("WWW-Authenticate") == "Bearer realm=\"OAuth\", error=\"insufficient_scope\", scope=\"notes:write\"")

        let unscoped = try await post(server, MCPHandlerTests.call("read"), session: session, scopes: "notes:read")
        #expect(unscoped.status == 200)
        #expect(unscoped.text.contains("read with notes:read"))
        try await server.stop()
    }

    @Test func aSessionSurvivesReauthorizationForMoreScopes() async throws {
        let server = try await Self.server()
        let opened = try await post(server, MCPHandlerTests.initialize, scopes: "notes:read", props: "first grant")
        let session = try #require(opened.header("MCP-Session-Id"))
        #expect(try await post(server, MCPHandlerTests.call("write"), session: session, scopes: "notes:read").status == 403)

        // The client re-authorized: a new grant (other props), the same user and client, more scopes.
        let retried = try await post(
            server, MCPHandlerTests.call("write", id: 3), session: session, scopes: "notes:read notes:write", props: "second grant"
        )
        #expect(retried.status == 200)
        #expect(retried.text.contains("write with notes:read notes:write"))

        // Another user cannot use the session.
        let other = try await post(server, MCPHandlerTests.call("read", id: 4), session: session, user: "mallory", scopes: "notes:write")
        #expect(other.status == 404)
        try await server.stop()
    }

    @Test func statelessServersRefuseToo() async throws {
        let server = try await Self.server(.stateless)
        let refused = try await post(server, MCPHandlerTests.call("write"), scopes: "")
        #expect(refused.status == 403)
        let allowed = try await post(server, MCPHandlerTests.call("write"), scopes: "notes:write")
        #expect(allowed.status == 200)
        try await server.stop()
    }
}
