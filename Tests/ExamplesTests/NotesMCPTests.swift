import Foundation
import HTTPTypes
import Testing
import WorkersRuntime
import WorkersTesting

@Suite("notes-mcp example: the binary against a stand-in authorization server")
struct NotesMCPTests {
    static let binary = ChildServer.sibling("notes-mcp")
    static let resource = "https://notes.example.com/mcp"

    /// A project directory whose config trusts `authorizationServer` and binds `NOTES`.
    static func project(trusting authorizationServer: StandInAuthorizationServer) throws -> URL {
        try WorkerCommandTests.project(wranglerTOML: """
            name = "notes-mcp-test"
            [[kv_namespaces]]
            binding = "NOTES"
            id = "notes"
            [vars]
            AUTHORIZATION_SERVER = "\(authorizationServer.issuer)"
            RESOURCE_URI = "\(resource)"
            """)
    }

    /// `initialize`, returning the session id.
    static func initialize(_ server: ChildServer, token: String) async throws -> String {
        let response = try await TestClient().send(.post, server.url("/mcp"), headers: headers(token), body: """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
            "clientInfo":{"name":"t","version":"1"}}}
            """)
        return try #require(response.header("mcp-session-id"), "\(response.status) \(response.text)")
    }

    /// A `tools/call` of `tool` with `arguments`.
    static func call(_ server: ChildServer, token: String, session: String?, _ tool: String, _ arguments: String = "{}", id: Int)
        async throws -> TestResponse
    {
        var headers = headers(token) + [("MCP-Protocol-Version", "2025-06-18")]
        if let session { headers.append(("MCP-Session-Id", session)) }
        return try await TestClient().send(.post, server.url("/mcp"), headers: headers, body: """
            {"jsonrpc":"2.0","id":\(id),"method":"tools/call","params":{"name":"\(tool)","arguments":\(arguments)}}
            """)
    }

    static func headers(_ token: String) -> [(String, String)] {
        [("Authorization", "Bearer \(token)"), ("Accept", "application/json, text/event-stream"), ("Content-Type", "application/json")]
    }

    @Test("initialize + tools/call with a stand-in JWT: whoami, add_note, list_notes; notes:write enforced with a 403")
    func toolsOverHTTP() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let authorizationServer = try await StandInAuthorizationServer.start()
        let directory = try Self.project(trusting: authorizationServer)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ChildServer.start(Self.binary, arguments: ["serve", "--ip", "127.0.0.1", "--port", "0"], in: directory)

        let writer = try await authorizationServer.accessToken(subject: "ada", audience: Self.resource, scope: "notes:read notes:write")
        let session = try await Self.initialize(server, token: writer)
        let whoami = try await Self.call(server, token: writer, session: session, "whoami", id: 2)
        let add = try await Self.call(server, token: writer, session: session, "add_note", #"{"text":"buy milk"}"#, id: 3)
        let list = try await Self.call(server, token: writer, session: session, "list_notes", id: 4)

        // Another user sees only their own notes; a read-only token cannot write.
        let reader = try await authorizationServer.accessToken(subject: "bob", audience: Self.resource, scope: "notes:read")
        let readerSession = try await Self.initialize(server, token: reader)
        let bobsList = try await Self.call(server, token: reader, session: readerSession, "list_notes", id: 5)
        let denied = try await Self.call(server, token: reader, session: readerSession, "add_note", #"{"text":"x"}"#, id: 6)
        let anonymous = try await TestClient().send(.post, server.url("/mcp"), body: "{}")
        let metadata = try await TestClient().send(.get, server.url("/.well-known/oauth-protected-resource/mcp"))
        let status = await server.stop(signal: SIGTERM)
        try await authorizationServer.stop()

        let identity = try JSONValue(parsing: Data(try #require(try BearerTokenTests.toolText(whoami), "\(whoami.text)").utf8))
        #expect(identity == ["sub": "ada", "client_id": "mcp-client", "scopes": ["notes:read", "notes:write"]])
        #expect(try BearerTokenTests.toolText(add) == "Saved.")
        #expect(try BearerTokenTests.toolText(list) == #"["buy milk"]"#)
        #expect(try BearerTokenTests.toolText(bobsList) == "[]")
        #expect(denied.status == 403)
        #expect(
            denied.header("www-authenticate")
                == #"Bearer realm="OAuth", resource_metadata="https://notes.example.com/.well-known/oauth-protected-resource/mcp", error="insufficient_scope", scope="notes:write""#
        )
        #expect(anonymous.status == 401)
        #expect(anonymous.header("www-authenticate")?.contains("resource_metadata=") == true)
        #expect(metadata.json?["authorization_servers"] == [.string(authorizationServer.issuer)])
        #expect(metadata.json?["resource"] == .string(Self.resource))
        #expect(status == 0)
    }

    @Test("refuses to start without AUTHORIZATION_SERVER, naming the var")
    func refusesWithoutIssuer() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let directory = try WorkerCommandTests.project(wranglerTOML: """
            name = "notes-mcp-test"
            [vars]
            RESOURCE_URI = "\(Self.resource)"
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await WorkerCommandTests.run(["serve", "--port", "0"], in: directory, executable: Self.binary)
        #expect(run.status != 0)
        #expect(run.stderr.contains("AUTHORIZATION_SERVER"))
    }
}
