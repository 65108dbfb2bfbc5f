import Foundation
import Testing
import WorkersMCP
import WorkersRuntime
import WorkersTesting

/// The session caps, through MCPHandler over real sockets: one owner (grant) cannot evict another's sessions by
/// opening many of its own.
@Suite("MCPHandler session caps")
struct MCPSessionCapTests {
    let driver = MCPHandlerTests()

    func open(_ server: LiveServer, as user: String?) async throws -> String {
        try #require(try await driver.post(server, MCPHandlerTests.initialize, user: user).header("MCP-Session-Id"))
    }

    func whoami(_ server: LiveServer, _ session: String, as user: String?) async throws -> TestClient.Response {
        try await driver.post(server, MCPHandlerTests.call("whoami"), session: session, user: user)
    }

    @Test("20 initializes by one grant leave its 16 newest sessions open; the 4 oldest are closed")
    func perGrantCap() async throws {
        let mcp = MCPHandlerTests.handler(.init(responseMode: .json, maxSessions: 50, maxSessionsPerGrant: 16))
        let server = try await LiveServer.start(worker: MCPHandlerTests.worker(mcp))
        var sessions: [String] = []
        for _ in 0..<20 { sessions.append(try await open(server, as: "alice")) }
        var statuses: [Int] = []
        for session in sessions { statuses.append(try await whoami(server, session, as: "alice").status) }
        let count = await mcp.sessionCount
        try await server.stop()
        #expect(statuses == Array(repeating: 404, count: 4) + Array(repeating: 200, count: 16))
        #expect(count == 16)
    }

    @Test("a session of grant B opened first stays usable through 200 initializes by grant A")
    func floodDoesNotEvictOthers() async throws {
        let mcp = MCPHandlerTests.handler(.init(responseMode: .json, maxSessions: 50, maxSessionsPerGrant: 16))
        let server = try await LiveServer.start(worker: MCPHandlerTests.worker(mcp))
        let victim = try await open(server, as: "bob")
        for _ in 0..<200 { _ = try await open(server, as: "mallory") }
        let response = try await whoami(server, victim, as: "bob")
        let count = await mcp.sessionCount
        try await server.stop()
        #expect(response.status == 200)
        #expect(response.json?["result"]?["content"]?.arrayValue?.first?["text"] == "bob")
        #expect(count == 17)
    }

    @Test("sessions opened without props share only the global cap")
    func anonymousSessionsUseTheGlobalCap() async throws {
        let mcp = MCPHandlerTests.handler(.init(responseMode: .json, maxSessions: 20, maxSessionsPerGrant: 4))
        let server = try await LiveServer.start(worker: MCPHandlerTests.worker(mcp))
        for _ in 0..<25 { _ = try await open(server, as: nil) }
        let count = await mcp.sessionCount
        try await server.stop()
        #expect(count == 20)
    }
}
