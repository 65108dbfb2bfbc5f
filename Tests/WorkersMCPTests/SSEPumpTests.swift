import AsyncHTTPClient
import Foundation
import HTTPTypes
import MCP
import NIOCore
import NIOHTTP1
import Testing
import WorkersMCP
import WorkersRuntime
import WorkersServer
import WorkersTesting

@Suite("MCPHandler event streams")
struct SSEPumpTests {
    /// Opens the session's standalone event stream and returns its body iterator, after the first chunk arrived.
    static func openStream(_ server: LiveServer) async throws -> HTTPClientResponse.Body.AsyncIterator {
        let initialized = try await TestClient().send(
            .post, server.url("/mcp"),
            headers: [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"), ("X-User", "alice")],
            body: MCPHandlerTests.initialize
        )
        let session = try #require(initialized.header("MCP-Session-Id"))
        var request = HTTPClientRequest(url: server.url("/mcp").absoluteString)
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "MCP-Session-Id", value: session)
        request.headers.add(name: "X-User", value: "alice")
        let response = try await TestClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status == .ok)
        var iterator = response.body.makeAsyncIterator()
        _ = try await iterator.next()
        return iterator
    }

    @Test("an open standalone event stream ends at graceful shutdown instead of holding the server up")
    func endsOnShutdown() async throws {
        let mcp = MCPHandlerTests.handler(.init(heartbeatInterval: nil))
        let server = try await LiveServer.start(worker: MCPHandlerTests.worker(mcp))
        var iterator = try await Self.openStream(server)
        let stopped = await server.stop(within: .seconds(20))
        #expect(stopped)
        guard stopped else { return }
        var rest = 0
        while let chunk = try? await iterator.next() { rest += chunk.readableBytes }
        #expect(rest == 0)
    }

    @Test("an idle event stream carries keep-alive comments")
    func heartbeat() async throws {
        let mcp = MCPHandlerTests.handler(.init(heartbeatInterval: .milliseconds(20)))
        let server = try await LiveServer.start(worker: MCPHandlerTests.worker(mcp))
        var iterator = try await Self.openStream(server)
        var seen = ""
        while !seen.contains(": keep-alive"), let chunk = try await iterator.next() {
            seen += String(buffer: chunk)
        }
        #expect(seen.contains(": keep-alive\n\n"))
        #expect(await server.stop(within: .seconds(20)))
    }
}
