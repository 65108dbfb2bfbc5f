import Foundation
import HTTPTypes
import Testing
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// Port of the anchor's conformance/authorization-security.test.ts.
@Suite struct AuthorizationSecurityConformanceTests {
    @Test(arguments: MCPRevision.all)
    func doesNotRedirectToUnregisteredRedirectURI(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let response = try await harness.authorize(client, redirectURI: "https://attacker.example.com/callback")
        #expect(response.status == 400)
        #expect(response.header("Location") == nil)
        #expect(response.error == "invalid_request")
        #expect(response.errorDescription?.contains("Invalid redirect URI") == true)
    }

    @Test(arguments: MCPRevision.all)
    func doesNotRedirectForUnknownClient(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let response = try await harness.authorize(FixtureClient(id: "unknown-client", secret: nil, method: "none"))
        #expect(response.status == 400)
        #expect(response.header("Location") == nil)
    }

    @Test(arguments: MCPRevision.all)
    func failedRedirectValidationDoesNotConsumeCode(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let code = try await harness.authorizeCode(client)
        let bad = try await harness.exchange(client, code: code, redirectURI: "https://attacker.example.com/callback")
        #expect(bad.status == 400)
        #expect(bad.error == "invalid_grant")
        let good = try await harness.exchange(client, code: code)
        #expect(good.status == 200)
        #expect(good.json?["access_token"]?.stringValue != nil)
    }

    @Test(arguments: MCPRevision.all)
    func challengesInvalidConfidentialCredentialsWithoutConsumingCode(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("client_secret_basic")
        let code = try await harness.authorizeCode(client)
        let bad = try await harness.exchange(client, code: code, secret: "wrong-secret")
        #expect(bad.status == 401)
        #expect(bad.header("WWW-Authenticate") == "Basic realm=\"OAuth\"")
        #expect(bad.error == "invalid_client")
        let good = try await harness.exchange(client, code: code)
        #expect(good.status == 200)
    }

    @Test(arguments: MCPRevision.all)
    func acceptsClientSecretPost(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("client_secret_post")
        let json = try await harness.tokens(client)
        #expect(json["access_token"]?.stringValue != nil)
    }

    static let mismatches: [(String, String)] = [
        ("client_secret_basic", "client_secret_post"),
        ("client_secret_post", "client_secret_basic"),
        ("none", "client_secret_basic"),
        ("none", "client_secret_post"),
    ]

    @Test(arguments: MCPRevision.all, mismatches)
    func rejectsMismatchedAuthenticationMethodWithoutConsumingCode(revision: String, pair: (String, String)) async throws {
        let (registered, presented) = pair
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient(registered)
        let code = try await harness.authorizeCode(client)
        let secret = client.secret ?? "unexpected-public-client-secret"
        let bad = try await harness.exchange(client, code: code, as: presented, secret: .some(secret))
        #expect(bad.status == 401)
        #expect(bad.json == ["error": "invalid_client", "error_description": "Client authentication failed"])
        #expect(bad.header("WWW-Authenticate") == (presented == "client_secret_basic" ? "Basic realm=\"OAuth\"" : nil))
        let good = try await harness.exchange(client, code: code)
        #expect(good.status == 200)
    }

    @Test func inheritsCanonicalResourceForClientsThatOmitIt() async throws {
        let harness = try ConformanceHarness(revision: "2025-03-26", canonicalResource: true)
        let client = try await harness.createClient("none")
        let json = try await harness.tokens(client)
        #expect(json["resource"] == "https://mcp.example.com/mcp")
    }

    @Test(arguments: MCPRevision.since("2025-06-18"))
    func defaultsOmittedResourceToCanonical(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision, canonicalResource: true)
        let client = try await harness.createClient("none")
        let response = try await harness.authorize(client, resource: .some(nil))
        #expect(response.status == 302)
        #expect(response.header("Location") != nil)
    }

    @Test(arguments: MCPRevision.since("2025-06-18"))
    func rejectsResourceWithFragment(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision, canonicalResource: true)
        let client = try await harness.createClient("none")
        let response = try await harness.authorize(client, resource: .some(ConformanceHarness.resource + "#fragment"))
        #expect(response.status == 400)
        #expect(response.header("Location") == nil)
        #expect(response.error == "invalid_target")
    }

    @Test(arguments: MCPRevision.since("2025-06-18"))
    func rejectsResourceOtherThanCanonical(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision, canonicalResource: true)
        let client = try await harness.createClient("none")
        let response = try await harness.authorize(client, resource: .some("https://mcp.example.com/other"))
        #expect(response.status == 400)
        #expect(response.error == "invalid_target")
    }

    @Test(arguments: MCPRevision.since("2025-06-18"))
    func acceptsCanonicalResourceThroughout(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision, canonicalResource: true)
        let client = try await harness.createClient("none")
        let json = try await harness.tokens(client)
        #expect(json["resource"] == "https://mcp.example.com/mcp")
    }

    @Test(arguments: MCPRevision.since("2026-07-28"))
    func includesExactlyOneMatchingIss(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let metadata = try await harness.client.send(.get, "/.well-known/oauth-authorization-server").json
        #expect(metadata?["authorization_response_iss_parameter_supported"] == true)
        let client = try await harness.createClient("none")
        let response = try await harness.authorize(client)
        #expect(response.locationValues("iss") == [try #require(metadata?["issuer"]?.stringValue)])
        #expect(response.locationValues("iss") == ["https://mcp.example.com"])
    }

    @Test(arguments: MCPRevision.since("2026-07-28"))
    func includesIssuerInTerminalErrors(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let response = try await harness.authorize(client, scope: "mcp:read conformance:deny", state: "denied-state")
        #expect(response.status == 302)
        #expect(response.locationValues("error") == ["access_denied"])
        #expect(response.locationValues("state") == ["denied-state"])
        #expect(response.locationValues("iss") == ["https://mcp.example.com"])
        #expect(response.locationValues("code").isEmpty)
    }

    @Test(arguments: MCPRevision.since("2026-07-28"))
    func advertisesOfflineAccessOnlyOnTheAuthorizationServer(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision, resourceScopes: ["mcp:read", "offline_access"])
        let metadata = try await harness.client.send(.get, "/.well-known/oauth-authorization-server").json
        #expect(metadata?["scopes_supported"]?.stringArray?.contains("offline_access") == true)
        let prm = try await harness.client.send(.get, "/.well-known/oauth-protected-resource/mcp").json
        #expect(prm?["scopes_supported"] == ["mcp:read"])
        let challenge = try await harness.callAPI(token: nil).header("WWW-Authenticate")
        #expect(challenge?.contains("offline_access") == false)
    }
}
