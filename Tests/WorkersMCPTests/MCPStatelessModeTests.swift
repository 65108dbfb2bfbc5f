import Foundation
import HTTPTypes
import MCP
import Testing
import WorkersMCP
import WorkersRuntime
import WorkersTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `SessionMode.stateless`: no session is kept, so any instance can answer any request; each request is served with
/// its own props.
@Suite("MCPHandler in stateless mode")
struct MCPStatelessModeTests {
    let client = TestClient()

    static func server() async throws -> LiveServer {
        try await LiveServer.start(worker: MCPHandlerTests.worker(MCPHandlerTests.handler(.init(sessionMode: .stateless))))
    }

    func post(_ server: LiveServer, _ body: String, user: String? = "alice") async throws -> TestClient.Response {
        var headers = [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")]
        if let user { headers.append(("X-User", user)) }
        return try await client.send(.post, server.url("/mcp"), headers: headers, body: body)
    }

    @Test("initialize answers with JSON and no MCP-Session-Id; a tools/call needs no session and sees its own props")
    func noSessions() async throws {
        let server = try await Self.server()
        let initialized = try await post(server, MCPHandlerTests.initialize)
        #expect(initialized.status == 200)
        #expect(initialized.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(initialized.header("MCP-Session-Id") == nil)
        #expect(initialized.text.contains(#""name":"test-server""#))

        // Another "instance" that never saw the initialize answers a call straight away, as each request's own.
        let alice = try await post(server, MCPHandlerTests.call("whoami"))
        #expect(alice.status == 200, "\(alice.text)")
        #expect(alice.text.contains(#""text":"alice""#))
        let bob = try await post(server, MCPHandlerTests.call("whoami", id: 3), user: "bob")
        #expect(bob.text.contains(#""text":"bob""#))
        #expect(!bob.text.contains("alice"))
        #expect(await MCPHandlerTests.handler(.init(sessionMode: .stateless)).sessionCount == 0)
        try await server.stop()
    }

    @Test("GET (the standalone event stream) and DELETE (closing a session) are 405: there is no session")
    func noStreamNoDelete() async throws {
        let server = try await Self.server()
        for method in [HTTPTypes.HTTPRequest.Method.get, .delete] {
            let response = try await client.send(method, server.url("/mcp"), headers: [("Accept", "text/event-stream"), ("X-User", "alice")])
            #expect(response.status == 405, "\(method)")
            #expect(response.header("Allow") == "POST")
        }
        try await server.stop()
    }

    @Test("swift-sdk's Client connects, lists tools and calls one")
    func sdkClient() async throws {
        let server = try await Self.server()
        let transport = HTTPClientTransport(
            endpoint: server.url("/mcp"), streaming: false,
            requestModifier: { request in
                var request = request
                request.setValue("carol", forHTTPHeaderField: "X-User")
                return request
            }
        )
        let mcpClient = Client(name: "swift-sdk-test", version: "1.0")
        _ = try await mcpClient.connect(transport: transport)
        let (content, isError) = try await mcpClient.callTool(name: "whoami")
        #expect(isError != true)
        #expect(content == [.text(text: "carol", annotations: nil, _meta: nil)])
        await mcpClient.disconnect()
        try await server.stop()
    }

    @Test("MCP_SESSION_MODE spellings")
    func names() {
        #expect(MCPHandler.SessionMode("stateless") == .stateless)
        #expect(MCPHandler.SessionMode("Stateful") == .stateful)
        #expect(MCPHandler.SessionMode("sticky") == nil)
    }
}
