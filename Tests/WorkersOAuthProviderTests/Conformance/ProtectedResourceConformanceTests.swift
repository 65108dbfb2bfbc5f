import Foundation
import HTTPTypes
import Testing
import WorkersConformance
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// Port of the anchor's conformance/protected-resource.test.ts.
@Suite struct ProtectedResourceConformanceTests {
    @Test(arguments: MCPRevision.all)
    func returnsBareBearerChallengeWithoutCredentials(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let response = try await harness.callAPI(token: nil)
        #expect(response.status == 401)
        #expect(response.header("Cache-Control") == "no-store")
        #expect(
            response.header("WWW-Authenticate")
                == "Bearer realm=\"OAuth\", resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:read\""
        )
    }

    @Test(arguments: MCPRevision.all)
    func returnsInvalidTokenForMalformedCredential(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let response = try await harness.callAPI(token: "not-an-access-token")
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate")?.contains("error=\"invalid_token\"") == true)
        #expect(response.error == "invalid_token")
    }

    @Test(arguments: MCPRevision.since("2025-06-18"))
    func discoversPathSpecificMetadata(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let response = try await harness.client.send(.get, "/.well-known/oauth-protected-resource/mcp")
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(
            response.json == [
                "resource": "https://mcp.example.com/mcp",
                "authorization_servers": ["https://mcp.example.com"],
                "scopes_supported": ["mcp:read"],
                "bearer_methods_supported": ["header"],
                "resource_name": "MCP auth conformance server",
            ]
        )
    }

    @Test(arguments: MCPRevision.since("2025-06-18"))
    func linksPathSpecificMetadataFromChallenges(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let challenge = try await harness.callAPI(token: nil).header("WWW-Authenticate")
        #expect(
            challenge?.contains("resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"") == true
        )
    }

    @Test(arguments: MCPRevision.since("2025-06-18"))
    func rejectsTokenOutsideItsAudience(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let token = try #require(try await harness.tokens(client)["access_token"]?.stringValue)
        let response = try await harness.callAPI("/other-resource", token: token)
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate")?.contains("error=\"invalid_token\"") == true)
        #expect(response.error == "invalid_token")
        #expect(response.errorDescription?.contains("audience") == true)
    }

    @Test(arguments: MCPRevision.since("2025-06-18"))
    func rejectsResourceExpansionWithoutConsumingCode(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let code = try await harness.authorizeCode(client)
        let bad = try await harness.exchange(client, code: code, resource: .some("https://mcp.example.com/other-resource"))
        #expect(bad.status == 400)
        #expect(bad.error == "invalid_target")
        let good = try await harness.exchange(client, code: code)
        #expect(good.status == 200)
        #expect(good.json?["access_token"]?.stringValue != nil)
    }

    @Test(arguments: MCPRevision.since("2025-11-25"))
    func publishesBaselineScopesWithoutOfflineAccess(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision, resourceScopes: ["mcp:read", "offline_access", "mcp:read"])
        let prm = try await harness.client.send(.get, "/.well-known/oauth-protected-resource/mcp").json
        #expect(prm?["scopes_supported"] == ["mcp:read"])
        let challenge = try #require(try await harness.callAPI(token: nil).header("WWW-Authenticate"))
        #expect(challenge.contains("scope=\"mcp:read\""))
        #expect(!challenge.contains("offline_access"))
    }

    @Test(arguments: MCPRevision.since("2025-11-25"))
    func returnsInsufficientScopeChallenge(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let response = try await harness.callAPI(token: ConformanceProfile.insufficientScopeToken)
        #expect(response.status == 403)
        let challenge = try #require(response.header("WWW-Authenticate"))
        #expect(challenge.contains("error=\"insufficient_scope\""))
        #expect(challenge.contains("scope=\"mcp:read mcp:write\""))
        #expect(challenge.contains("resource_metadata="))
        #expect(response.error == "insufficient_scope")
    }
}
