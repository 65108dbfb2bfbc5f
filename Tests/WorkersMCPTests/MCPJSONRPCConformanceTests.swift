import Foundation
import HTTPTypes
import NIOCore
import MCP
import Synchronization
import Testing
import WorkersMCP
import WorkersRuntime
import WorkersServer
import WorkersTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// JSON-RPC 2.0 as MCP's Streamable HTTP carries it, through real sockets, in both response modes: one message per
/// POST, ids of every JSON type, notifications, errors, cancellation, progress, and ids already in flight.
@Suite("MCPHandler JSON-RPC conformance")
struct MCPJSONRPCConformanceTests {
    static let modes: [MCPHandler.ResponseMode] = [.json, .sse]

    /// What the `slow` tool saw: it started, and whether it was cancelled.
    final class SlowTool: Sendable {
        let started = TestGate()
        let cancelled = TestGate()
        /// Set by the tool itself (the gates open by themselves after a minute, so they cannot tell).
        let sawCancellation = Mutex(false)
        let calls = Mutex(0)
    }

    static func handler(_ mode: MCPHandler.ResponseMode, slow: SlowTool, heartbeat: Duration? = nil) -> MCPHandler {
        MCPHandler(name: "conformance", version: "1", configuration: .init(responseMode: mode, heartbeatInterval: heartbeat)) { server, _ in
            server.withMethodHandler(CallTool.self) { params in
                switch params.name {
                case "echo":
                    return .init(content: [], structuredContent: .object(params.arguments ?? [:]))
                case "slow":
                    slow.calls.withLock { $0 += 1 }
                    slow.started.open()
                    do {
                        try await Task.sleep(for: .seconds(3600))
                    } catch {
                        slow.sawCancellation.withLock { $0 = true }
                        slow.cancelled.open()
                        throw error
                    }
                    return .init(content: [])
                case "progress":
                    let request = MCPRequestContext.current
                    request?.reportProgress(1, total: 2, message: "half")
                    request?.reportProgress(2, total: 2)
                    return .init(content: [.text(text: "done", annotations: nil, _meta: nil)])
                default:
                    throw MCPError.invalidParams("no tool \(params.name)")
                }
            }
        }
    }

    struct Harness {
        let server: LiveServer
        let session: String
        let mode: MCPHandler.ResponseMode
        let client = TestClient()

        static func start(_ mode: MCPHandler.ResponseMode, slow: SlowTool = SlowTool(), heartbeat: Duration? = nil) async throws -> Harness {
            let server = try await LiveServer.start(worker: MCPHandlerTests.worker(handler(mode, slow: slow, heartbeat: heartbeat)))
            let initialized = try await TestClient().send(
                .post, server.url("/mcp"), headers: headers(session: nil), body: MCPHandlerTests.initialize)
            let session = try #require(initialized.header("MCP-Session-Id"))
            return Harness(server: server, session: session, mode: mode)
        }

        static func headers(session: String?) -> [(String, String)] {
            var headers = [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"), ("X-User", "alice")]
            if let session { headers.append(("MCP-Session-Id", session)) }
            return headers
        }

        func post(_ body: String) async throws -> TestClient.Response {
            try await client.send(.post, server.url("/mcp"), headers: Self.headers(session: session), body: body)
        }

        /// The JSON-RPC messages of an answer: the body itself in JSON mode, each event's data in SSE mode.
        func messages(_ response: TestClient.Response) -> [JSONValue] {
            if response.header("Content-Type") == "text/event-stream" {
                return response.text.components(separatedBy: "\n").compactMap { line in
                    guard line.hasPrefix("data: ") else { return nil }
                    return try? JSONValue(parsing: Data(line.dropFirst(6).utf8))
                }
            }
            return response.json.map { [$0] } ?? []
        }

        /// The answer's last message (the response).
        func reply(_ response: TestClient.Response) -> JSONValue? { messages(response).last }

        func call(_ tool: String, id: String, arguments: String = "{}", meta: String? = nil) -> String {
            let meta = meta.map { #","_meta":\#($0)"# } ?? ""
            return #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":\#(arguments)\#(meta)}}"#
        }
    }

    @Test("a batch, a body that is not JSON, and a message that is not JSON-RPC get 400 with the JSON-RPC error", arguments: modes)
    func malformed(_ mode: MCPHandler.ResponseMode) async throws {
        let harness = try await Harness.start(mode)
        let cases: [(String, Double)] = [
            (#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]"#, -32600),
            (#"{"jsonrpc":"2.0","id":1,"method":"#, -32700),
            (#""just a string""#, -32600),
            (#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#, -32600),
            (#"{"jsonrpc":"2.0","id":1,"method":7}"#, -32600),
            (#"{"jsonrpc":"2.0","id":1,"method":"ping","params":"x"}"#, -32600),
            (#"{"jsonrpc":"2.0","id":1}"#, -32600),
        ]
        for (body, code) in cases {
            let response = try await harness.post(body)
            #expect(response.status == 400, "\(body)")
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.json?["error"]?["code"] == .number(code), "\(body): \(response.text)")
            #expect(response.json?["error"]?["message"]?.stringValue?.hasPrefix(code == -32700 ? "Parse error: Invalid JSON: at byte" : "Invalid Request: ") == true)
            #expect(response.text.components(separatedBy: "Invalid Request").count <= 2, "\(response.text)")
        }
        try await harness.server.stop()
    }

    @Test("ids: strings and integers come back as sent; null, fractions, booleans, objects and arrays are refused", arguments: modes)
    func ids(_ mode: MCPHandler.ResponseMode) async throws {
        let harness = try await Harness.start(mode)
        // An integral value spelled with an exponent is that integer, as the SDK decodes it; it comes back as the number.
        for id in [#""abc""#, #""""#, #""\u00e9\n""#, "0", "-7", "9007199254740993", "9223372036854775807", "1e3"] {
            let response = try await harness.post(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#)
            #expect(response.status == 200)
            let raw = harness.mode == .json ? response.text : response.text.components(separatedBy: "\n").first { $0.hasPrefix("data: ") } ?? ""
            let expected = try JSONSerialization.jsonObject(with: Data(id.utf8), options: .fragmentsAllowed) as! NSObject
            let answered = try JSONSerialization.jsonObject(with: Data(raw.replacingOccurrences(of: "data: ", with: "").utf8)) as! [String: Any]
            #expect(answered["id"] as? NSObject == expected, "id \(id): \(raw)")
            #expect(answered["result"] != nil)
        }
        for id in ["null", "1.5", "-0.25", "true", "{}", "[1]"] {
            let response = try await harness.post(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#)
            #expect(response.status == 400, "id \(id)")
            #expect(response.json?["error"]?["code"] == -32600, "id \(id): \(response.text)")
            #expect(response.json?["id"] == .null)
        }
        try await harness.server.stop()
    }

    @Test("notifications and client responses get 202 without a body; unknown methods and bad params get errors", arguments: modes)
    func notificationsAndErrors(_ mode: MCPHandler.ResponseMode) async throws {
        let harness = try await Harness.start(mode)
        for body in [
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","method":"notifications/unheard-of","params":{"x":1}}"#,
            #"{"jsonrpc":"2.0","id":"server-1","result":{}}"#,
            #"{"jsonrpc":"2.0","id":"server-2","error":{"code":-1,"message":"no"}}"#,
        ] {
            let response = try await harness.post(body)
            #expect(response.status == 202, "\(body)")
            #expect(response.body.readableBytes == 0)
        }
        let sessionless = try await harness.client.send(
            .post, harness.server.url("/mcp"), headers: Harness.headers(session: nil), body: harness.call("echo", id: "4"))
        #expect(sessionless.status == 400)
        #expect(sessionless.json?["error"]?["message"] == "Invalid Request: Bad Request: Missing MCP-Session-Id header")
        let unknown = try await harness.post(#"{"jsonrpc":"2.0","id":5,"method":"resources/unheard-of"}"#)
        #expect(unknown.status == 200)
        #expect(harness.reply(unknown)?["error"]?["code"] == -32601)
        #expect(harness.reply(unknown)?["id"] == 5)
        for params in [#"{"name":5}"#, #"{"arguments":{}}"#, #"{"name":"echo","arguments":[1]}"#] {
            let invalid = try await harness.post(#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":\#(params)}"#)
            #expect(harness.reply(invalid)?["error"]?["code"] == -32602, "\(params): \(invalid.text)")
        }
        let thrown = try await harness.post(harness.call("no-such-tool", id: "7"))
        #expect(harness.reply(thrown)?["error"]?["code"] == -32602)
        let echoed = try await harness.post(harness.call("echo", id: "8", arguments: #"{"s":"a\"b\\c\u0000","n":[1,2.5,-3e2,null,true],"o":{}}"#))
        #expect(harness.reply(echoed)?["result"]?["structuredContent"] == ["s": "a\"b\\c\u{0}", "n": [1, 2.5, -300, nil, true], "o": [:]])
        try await harness.server.stop()
    }

    @Test("notifications/cancelled stops the named request's handler; the id is free again afterwards", arguments: modes)
    func cancellation(_ mode: MCPHandler.ResponseMode) async throws {
        let slow = SlowTool()
        let harness = try await Harness.start(mode, slow: slow)
        let pending = Task { try await harness.post(harness.call("slow", id: #""c-1""#)) }
        await slow.started.wait()
        let cancel = try await harness.post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"c-1","reason":"user"}}"#)
        #expect(cancel.status == 202)
        await slow.cancelled.wait()
        #expect(slow.sawCancellation.withLock { $0 })
        let answer = try await pending.value
        // MCP sends no response to a cancelled request: the event stream ends without one; a JSON answer must
        // carry something, and says the request was cancelled.
        if mode == .sse {
            #expect(harness.messages(answer).isEmpty, "\(answer.text)")
        } else {
            #expect(answer.json?["error"]?["code"] == -32800)
            #expect(answer.json?["error"]?["message"] == "Server error: Request cancelled")
        }
        let again = try await harness.post(harness.call("echo", id: #""c-1""#))
        #expect(harness.reply(again)?["result"] != nil)
        try await harness.server.stop()
    }

    @Test("a request whose id is in flight in the session is refused at once; the first one is unaffected", arguments: modes)
    func idInFlight(_ mode: MCPHandler.ResponseMode) async throws {
        let slow = SlowTool()
        let harness = try await Harness.start(mode, slow: slow)
        let first = Task { try await harness.post(harness.call("slow", id: "42")) }
        await slow.started.wait()
        let duplicate = try await harness.post(harness.call("echo", id: "42"))
        #expect(duplicate.status == 400)
        #expect(duplicate.json?["error"]?["code"] == -32600)
        #expect(duplicate.json?["id"] == 42)
        #expect(duplicate.json?["error"]?["message"]?.stringValue?.hasPrefix("Invalid Request: Bad Request: a request with id 42 is already in flight") == true)
        #expect(!slow.sawCancellation.withLock { $0 })
        #expect(slow.calls.withLock { $0 } == 1)
        // Another id is served meanwhile.
        #expect(harness.reply(try await harness.post(harness.call("echo", id: "43")))?["result"] != nil)
        _ = try await harness.post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":42}}"#)
        _ = try await first.value
        try await harness.server.stop()
    }

    @Test("progress notifications reach the client on the request's event stream, before the response")
    func progress() async throws {
        for mode in Self.modes {
            let harness = try await Harness.start(mode)
            let response = try await harness.post(harness.call("progress", id: "9", meta: #"{"progressToken":"p-1"}"#))
            let messages = harness.messages(response)
            if mode == .sse {
                #expect(messages.count == 3, "\(response.text)")
                #expect(messages.prefix(2).allSatisfy { $0["method"] == "notifications/progress" && $0["params"]?["progressToken"] == "p-1" })
                #expect(messages.first?["params"]?["message"] == "half")
            } else {
                #expect(messages.count == 1)  // JSON mode has no stream to carry them
            }
            #expect(messages.last?["result"]?["content"]?.arrayValue?.first?["text"] == "done")
            let untracked = try await harness.post(harness.call("progress", id: "10"))
            #expect(harness.messages(untracked).count == 1)  // no token, no progress
            try await harness.server.stop()
        }
    }

    @Test("swift-sdk's Client: ping, a call with arguments answered in structured content, a tool error, a bad tool")
    func sdkClient() async throws {
        let server = try await LiveServer.start(worker: MCPHandlerTests.worker(Self.handler(.json, slow: SlowTool())))
        let transport = HTTPClientTransport(endpoint: server.url("/mcp"), streaming: false) { request in
            var request = request
            request.setValue("dave", forHTTPHeaderField: "X-User")
            return request
        }
        let client = Client(name: "swift-sdk-conformance", version: "1.0")
        _ = try await client.connect(transport: transport)
        try await client.ping()
        let echoed = try await client.send(CallTool.request(.init(name: "echo", arguments: ["n": 3, "s": "x\ny", "list": [true, nil]]))).value
        #expect(echoed.structuredContent == ["n": 3, "s": "x\ny", "list": [true, nil]])
        let progress = try await client.callTool(name: "progress")
        #expect(progress.content == [.text(text: "done", annotations: nil, _meta: nil)])
        await #expect(throws: MCPError.self) { _ = try await client.callTool(name: "no-such-tool") }
        await client.disconnect()
        try await server.stop()
    }

    @Test("a request whose client went away has its handler cancelled and its id freed", arguments: modes)
    func clientGone(_ mode: MCPHandler.ResponseMode) async throws {
        let slow = SlowTool()
        let harness = try await Harness.start(mode, slow: slow, heartbeat: .milliseconds(20))
        let body = harness.call("slow", id: "77")
        let request = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Accept: application/json, text/event-stream\r\nX-User: alice\r\nMCP-Session-Id: \(harness.session)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let connection = try RawConnection(port: harness.server.port)
        #expect(connection.send(request))
        await slow.started.wait()
        connection.close()
        await slow.cancelled.wait()
        #expect(slow.sawCancellation.withLock { $0 })
        // The id is released: the same id is served again.
        #expect(await eventually(within: .seconds(10)) {
            (try? await harness.post(harness.call("echo", id: "77")))?.status == 200
        })
        try await harness.server.stop()
    }
}
