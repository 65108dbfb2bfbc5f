import Foundation
import Testing
import WorkersConformance
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// RFC 7662 introspection at the conformance fixture's `/oauth/introspect`, in process and over a live socket.
@Suite struct IntrospectionConformanceTests {
    @Test(arguments: MCPRevision.all, TestMode.allCases)
    func resourceServerIntrospectsTokens(revision: String, mode: TestMode) async throws {
        try await ConformanceHarness.test(mode, revision: revision, canonicalResource: true) { harness in
            let app = try await harness.createClient("none")
            let tokens = try await harness.tokens(app)
            let access = try #require(tokens["access_token"]?.stringValue)
            let resourceServer = try await harness.createClient("client_secret_basic")
            let credentials = "\(resourceServer.id):\(try #require(resourceServer.secret))"
            let authorization = [("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString())]

            let active = try await harness.client.postForm("/oauth/introspect", [("token", access)], headers: authorization)
            #expect(active.status == 200)
            #expect(active.header("Cache-Control") == "no-store")
            let json = try #require(active.json)
            #expect(json["active"] == true)
            #expect(json["token_type"] == "Bearer")
            #expect(json["client_id"] == .string(app.id))
            #expect(json["sub"] == .string(ConformanceProfile.userID))
            #expect(json["aud"] == .string(ConformanceHarness.resource))
            #expect(json["iss"] == .string(ConformanceHarness.origin))
            #expect(json["scope"] == "mcp:read")
            // Fixture clients are created by the operator (the helpers), so they see the grant's props.
            #expect(json["props"] == ["subject": .string(ConformanceProfile.userID)])

            let byApp = try await harness.client.postForm("/oauth/introspect", [("token", access), ("client_id", app.id)])
            #expect(byApp.status == 401)
            #expect(byApp.error == "invalid_client")

            #expect(try await harness.revoke(app, access).status == 200)
            let revoked = try await harness.client.postForm("/oauth/introspect", [("token", access)], headers: authorization)
            #expect(revoked.json == ["active": false])
        }
    }
}
