import Foundation
import HTTPTypes
import MCP
import NIOHTTP1
import Synchronization
import Testing
import WorkersMCP
import WorkersRuntime
import WorkersServer
import WorkersTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("MCPHandler over real sockets")
struct MCPHandlerTests {
    let client = TestClient()

    /// A worker that mounts `mcp` and takes its props from the `X-User` header (standing in for a token check).
    static func worker(_ mcp: MCPHandler) -> Worker {
        Worker { request, env, ctx in
            let props: JSONValue? = request.header("X-User").map { ["user": .string($0)] }
            return try await mcp.fetch(request, env: env, ctx: ctx.with(props: props))
        }
    }

    /// A server with `whoami` (the session's props) and `saw_credentials` (whether the client's Authorization or
    /// Cookie header reached the MCP server).
    static func handler(_ configuration: MCPHandler.Configuration = .init()) -> MCPHandler {
        MCPHandler(name: "test-server", version: "1.2.3", configuration: configuration) { server, session in
            let user = session.props?["user"]?.stringValue ?? "nobody"
            server.withMethodHandler(ListTools.self) { _ in
                .init(tools: [
                    Tool(name: "whoami", description: "The session's user", inputSchema: ["type": "object"]),
                    Tool(name: "saw_credentials", description: "Diagnostics", inputSchema: ["type": "object"]),
                ])
            }
            server.withMethodHandler(CallTool.self) { params in
                switch params.name {
                case "whoami":
                    return .init(content: [.text(text: user, annotations: nil, _meta: nil)])
                case "saw_credentials":
                    let http = MCPRequestContext.current
                    let seen = [
                        http?.header("Authorization") != nil ? "authorization" : nil,
                        http?.header("Cookie") != nil ? "cookie" : nil,
                        http?.header("X-Probe").map { "probe=\($0)" },
                    ].compactMap { $0 }
                    return .init(content: [.text(text: seen.joined(separator: ","), annotations: nil, _meta: nil)])
                default:
                    return .init(content: [.text(text: "unknown tool", annotations: nil, _meta: nil)], isError: true)
                }
            }
        }
    }

    static let initialize = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
        "clientInfo":{"name":"raw","version":"0"}}}
        """

    static func call(_ tool: String, id: Int = 2) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":{}}}"#
    }

    func post(
        _ server: LiveServer,
        _ body: String,
        session: String? = nil,
        user: String? = "alice",
        accept: String = "application/json, text/event-stream",
        extra: [(String, String)] = []
    ) async throws -> TestClient.Response {
        var headers = [("Content-Type", "application/json"), ("Accept", accept)]
        if let session { headers.append(("MCP-Session-Id", session)) }
        if let user { headers.append(("X-User", user)) }
        return try await client.send(.post, server.url("/mcp"), headers: headers + extra, body: body)
    }

    @Test("swift-sdk's Client initializes, lists tools and calls a tool that sees the session's props")
    func sdkClient() async throws {
        let server = try await LiveServer.start(worker: Self.worker(Self.handler(.init(responseMode: .json))))
        // swift-sdk's HTTPClientTransport cannot read event streams on Linux, hence the JSON response mode.
        let transport = HTTPClientTransport(
            endpoint: server.url("/mcp"),
            streaming: false,
            requestModifier: { request in
                var request = request
                request.setValue("carol", forHTTPHeaderField: "X-User")
                return request
            }
        )
        let mcpClient = Client(name: "swift-sdk-test", version: "1.0")
        let result = try await mcpClient.connect(transport: transport)
        #expect(result.serverInfo.name == "test-server")
        #expect(result.serverInfo.version == "1.2.3")
        let (tools, _) = try await mcpClient.listTools()
        #expect(tools.map(\.name) == ["whoami", "saw_credentials"])
        let (content, isError) = try await mcpClient.callTool(name: "whoami")
        #expect(isError != true)
        #expect(content == [.text(text: "carol", annotations: nil, _meta: nil)])
        await mcpClient.disconnect()
        try await server.stop()
    }

    @Test("answers requests with an event stream carrying the JSON-RPC response, keyed by MCP-Session-Id")
    func sseResponses() async throws {
        let server = try await LiveServer.start(worker: Self.worker(Self.handler()))
        let initialized = try await post(server, Self.initialize)
        #expect(initialized.status == 200)
        #expect(initialized.header("Content-Type") == "text/event-stream")
        let session = try #require(initialized.header("MCP-Session-Id"))
        #expect(session.count >= 40)
        #expect(initialized.text.contains("event: message"))
        #expect(initialized.text.contains(#""name":"test-server""#))

        let notified = try await post(
            server, #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, session: session)
        #expect(notified.status == 202)
        let called = try await post(server, Self.call("whoami"), session: session)
        #expect(called.status == 200)
        #expect(called.text.contains(#""text":"alice""#))
        try await server.stop()
    }

    @Test("a session used with another identity's props is not found, and stays usable by its owner")
    func sessionBoundToProps() async throws {
        let server = try await LiveServer.start(worker: Self.worker(Self.handler(.init(responseMode: .json))))
        let session = try #require(try await post(server, Self.initialize).header("MCP-Session-Id"))
        let hijack = try await post(server, Self.call("whoami"), session: session, user: "mallory")
        #expect(hijack.status == 404)
        #expect(!hijack.text.contains("alice"))
        let anonymous = try await post(server, Self.call("whoami"), session: session, user: nil)
        #expect(anonymous.status == 404)
        let owner = try await post(server, Self.call("whoami"), session: session)
        #expect(owner.status == 200)
        #expect(owner.json?["result"]?["content"]?.arrayValue?.first?["text"] == "alice")
        try await server.stop()
    }

    @Test("DELETE closes a session; idle sessions expire by the injected clock")
    func closeAndExpire() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let mcp = Self.handler(.init(responseMode: .json, idleTimeout: .seconds(60), now: { clock.withLock { $0 } }))
        let server = try await LiveServer.start(worker: Self.worker(mcp))

        let first = try #require(try await post(server, Self.initialize).header("MCP-Session-Id"))
        let deleted = try await client.send(
            .delete, server.url("/mcp"), headers: [("MCP-Session-Id", first), ("X-User", "alice")])
        #expect(deleted.status == 200)
        #expect(try await post(server, Self.call("whoami"), session: first).status == 404)

        let second = try #require(try await post(server, Self.initialize).header("MCP-Session-Id"))
        clock.withLock { $0 += 59 }
        #expect(try await post(server, Self.call("whoami"), session: second).status == 200)
        clock.withLock { $0 += 61 }
        #expect(try await post(server, Self.call("whoami"), session: second).status == 404)
        #expect(await mcp.sessionCount == 0)
        try await server.stop()
    }

    @Test("requests without a session are rejected unless they initialize one")
    func missingSession() async throws {
        let server = try await LiveServer.start(worker: Self.worker(Self.handler()))
        let response = try await post(server, Self.call("whoami"))
        #expect(response.status == 400)
        #expect(response.json?["error"]?["code"] != nil)
        let unknown = try await post(server, Self.call("whoami"), session: "no-such-session")
        #expect(unknown.status == 404)
        try await server.stop()
    }

    @Test("browser origins outside the allow-list get 403; loopback origins pass")
    func originCheck() async throws {
        let server = try await LiveServer.start(worker: Self.worker(Self.handler(.init(responseMode: .json))))
        let hostile = try await post(server, Self.initialize, extra: [("Origin", "http://evil.example:8787")])
        #expect(hostile.status == 403)
        #expect(hostile.header("MCP-Session-Id") == nil)
        let local = try await post(server, Self.initialize, extra: [("Origin", "http://localhost:6274")])
        #expect(local.status == 200)
        #expect(local.header("Access-Control-Expose-Headers")?.contains("MCP-Session-Id") == true)
        try await server.stop()
    }

    @Test("the client's Authorization and Cookie headers never reach the MCP server")
    func credentialsWithheld() async throws {
        let server = try await LiveServer.start(worker: Self.worker(Self.handler(.init(responseMode: .json))))
        let secrets = [("Authorization", "Bearer client-token"), ("Cookie", "sid=1"), ("X-Probe", "1")]
        let session = try #require(try await post(server, Self.initialize, extra: secrets).header("MCP-Session-Id"))
        let response = try await post(server, Self.call("saw_credentials"), session: session, extra: secrets)
        #expect(response.json?["result"]?["content"]?.arrayValue?.first?["text"] == "probe=1")
        try await server.stop()
    }

    @Test("in JSON mode a GET for the standalone event stream is refused with 405, session or not")
    func jsonModeRefusesGet() async throws {
        let server = try await LiveServer.start(worker: Self.worker(Self.handler(.init(responseMode: .json))))
        let session = try #require(try await post(server, Self.initialize).header("MCP-Session-Id"))
        let stream = try await client.send(
            .get, server.url("/mcp"),
            headers: [("Accept", "text/event-stream"), ("MCP-Session-Id", session), ("X-User", "alice")])
        #expect(stream.status == 405)
        #expect(stream.header("Allow") == "POST, DELETE")
        try await server.stop()
    }
}
