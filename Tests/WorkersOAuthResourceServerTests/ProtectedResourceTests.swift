import Foundation
import HTTPTypes
import Testing
import WorkersOAuthResourceServer
import WorkersRuntime
import WorkersTesting

@Suite("OAuthResourceServer.protect over real sockets: challenges, 403 insufficient_scope, RFC 9728 document, CORS")
struct ProtectedResourceTests {
    static let metadataURL = "https://notes.example.com/.well-known/oauth-protected-resource/mcp"

    /// The fixture's resource server protecting a handler at `/mcp`; `/mcp/admin` needs `notes:admin`.
    static func serve(_ fixture: ResourceServerFixture) async throws -> LiveServer {
        let handler = FetchHandler { request, _, ctx in
            if request.path == "/mcp/admin" { try ctx.requireScopes(["notes:admin"]) }
            let token = ctx.accessToken
            return try Response.json([
                "sub": .string(token?.subject ?? ""), "client_id": .string(token?.clientID ?? ""),
                "scopes": .array((token?.scopes ?? []).map(JSONValue.string)),
            ] as JSONValue)
        }
        let protected = fixture.resourceServer.protect(handler, at: ["/mcp"])
        return try await LiveServer.start(worker: Worker { request, env, ctx in try await protected.fetch(request, env: env, ctx: ctx) })
    }

    @Test("no token: 401 with the exact Bearer challenge naming the metadata URL and the scopes")
    func missingToken() async throws {
        let fixture = try await ResourceServerFixture.start()
        let server = try await Self.serve(fixture)
        let response = try await TestClient().send(.post, server.url("/mcp"), body: "{}")
        let basic = try await TestClient().send(.post, server.url("/mcp"), headers: [("Authorization", "Basic YTpi")])
        try await server.stop()
        try await fixture.stop()
        let challenge = "Bearer realm=\"OAuth\", resource_metadata=\"\(Self.metadataURL)\", scope=\"notes:read notes:write\""
        #expect(response.status == 401)
        #expect(response.header("www-authenticate") == challenge)
        #expect(basic.status == 401)
        #expect(basic.header("www-authenticate") == challenge)
    }

    @Test("a bad token: 401 with error=\"invalid_token\" in the same challenge, and an OAuth error body")
    func invalidToken() async throws {
        let fixture = try await ResourceServerFixture.start(introspection: false)
        let server = try await Self.serve(fixture)
        let response = try await TestClient().send(.get, server.url("/mcp"), headers: [("Authorization", "Bearer not-a-token")])
        try await server.stop()
        try await fixture.stop()
        #expect(response.status == 401)
        #expect(
            response.header("www-authenticate")
                == "Bearer realm=\"OAuth\", resource_metadata=\"\(Self.metadataURL)\", error=\"invalid_token\", scope=\"notes:read notes:write\""
        )
        #expect(response.json?["error"] == "invalid_token")
    }

    @Test("a valid JWT reaches the handler with ctx.accessToken; InsufficientScopeError becomes the exact 403")
    func admittedAndInsufficientScope() async throws {
        let fixture = try await ResourceServerFixture.start()
        let server = try await Self.serve(fixture)
        let bearer = [("Authorization", "Bearer \(try await fixture.token(scope: "notes:read"))")]
        let ok = try await TestClient().send(.get, server.url("/mcp"), headers: bearer)
        let admin = try await TestClient().send(.get, server.url("/mcp/admin"), headers: bearer)
        try await server.stop()
        try await fixture.stop()
        #expect(ok.status == 200)
        #expect(ok.json == ["sub": "ada", "client_id": "mcp-client", "scopes": ["notes:read"]])
        #expect(admin.status == 403)
        #expect(
            admin.header("www-authenticate")
                == "Bearer realm=\"OAuth\", resource_metadata=\"\(Self.metadataURL)\", error=\"insufficient_scope\", scope=\"notes:admin\""
        )
        #expect(admin.json?["error"] == "insufficient_scope")
    }

    @Test("the RFC 9728 document, exact, at the resource's well-known path (and the bare one), with CORS")
    func metadataDocument() async throws {
        let fixture = try await ResourceServerFixture.start()
        let server = try await Self.serve(fixture)
        let client = TestClient()
        let document = try await client.send(.get, server.url("/.well-known/oauth-protected-resource/mcp"), headers: [("Origin", "https://app.example")])
        let bare = try await client.send(.get, server.url("/.well-known/oauth-protected-resource"))
        let post = try await client.send(.post, server.url("/.well-known/oauth-protected-resource/mcp"))
        let elsewhere = try await client.send(.get, server.url("/other"))
        try await server.stop()
        try await fixture.stop()
        let expected: JSONValue = [
            "resource": "https://notes.example.com/mcp",
            "authorization_servers": [.string(fixture.authorizationServer.issuer)],
            "scopes_supported": ["notes:read", "notes:write"],
            "bearer_methods_supported": ["header"],
            "resource_name": "Notes",
        ]
        #expect(document.status == 200)
        #expect(document.json == expected)
        #expect(document.header("access-control-allow-origin") == "https://app.example")
        #expect(bare.json == expected)
        #expect(post.status == 405)
        #expect(elsewhere.status == 404)
        #expect(fixture.resourceServer.resourceMetadataURL == Self.metadataURL)
    }

    @Test("CORS: a preflight to a protected route is answered 204 without a token; a 401 exposes WWW-Authenticate")
    func cors() async throws {
        let fixture = try await ResourceServerFixture.start()
        let server = try await Self.serve(fixture)
        let origin = ("Origin", "https://app.example")
        let preflight = try await TestClient().send(
            .options, server.url("/mcp"), headers: [origin, ("Access-Control-Request-Method", "POST")]
        )
        let denied = try await TestClient().send(.post, server.url("/mcp"), headers: [origin])
        try await server.stop()
        try await fixture.stop()
        #expect(preflight.status == 204)
        #expect(preflight.header("access-control-allow-origin") == "https://app.example")
        #expect(preflight.header("access-control-allow-headers")?.contains("Authorization") == true)
        #expect(denied.status == 401)
        #expect(denied.header("access-control-expose-headers")?.contains("WWW-Authenticate") == true)
    }
}
