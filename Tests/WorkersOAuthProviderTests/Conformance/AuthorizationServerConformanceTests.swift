import Foundation
import HTTPTypes
import Testing
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// Port of the anchor's conformance/authorization-server.test.ts.
@Suite struct AuthorizationServerConformanceTests {
    @Test(arguments: MCPRevision.all)
    func publishesRFC8414Metadata(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let response = try await harness.client.send(.get, "/.well-known/oauth-authorization-server")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let json = try #require(response.json)
        #expect(json["issuer"] == "https://mcp.example.com")
        #expect(json["authorization_endpoint"] == "https://mcp.example.com/authorize")
        #expect(json["token_endpoint"] == "https://mcp.example.com/oauth/token")
        #expect(json["revocation_endpoint"] == "https://mcp.example.com/oauth/token")
        #expect(json["registration_endpoint"] == "https://mcp.example.com/oauth/register")
        #expect(json["introspection_endpoint"] == "https://mcp.example.com/oauth/introspect")
        #expect(json["introspection_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post"])
        #expect(json["response_types_supported"] == ["code"])
        #expect(json["code_challenge_methods_supported"] == ["S256"])
        #expect(json["authorization_response_iss_parameter_supported"] == true)
        let grants = try #require(json["grant_types_supported"]?.stringArray)
        #expect(Set(["authorization_code", "refresh_token"]).isSubset(of: grants))
        let methods = try #require(json["token_endpoint_auth_methods_supported"]?.stringArray)
        #expect(Set(["none", "client_secret_basic", "client_secret_post"]).isSubset(of: methods))
    }

    @Test(arguments: MCPRevision.all)
    func completesPublicClientFlowWithS256(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let authorization = try await harness.authorize(client)
        #expect(authorization.status == 302)
        let location = try #require(authorization.location)
        #expect("\(location.scheme!)://\(location.host!)\(location.path)" == ConformanceHarness.callback)
        #expect(authorization.locationValues("code").count == 1)
        #expect(authorization.locationValues("state") == ["mcp-conformance-state"])
        #expect(authorization.locationValues("error").isEmpty)
        #expect(authorization.locationValues("iss") == ["https://mcp.example.com"])

        let token = try await harness.exchange(client, code: authorization.locationValues("code")[0])
        #expect(token.status == 200)
        #expect(token.header("Cache-Control") == "no-store")
        #expect(token.header("Pragma") == "no-cache")
        let json = try #require(token.json)
        #expect(json["token_type"]?.stringValue?.lowercased() == "bearer")
        #expect((json["expires_in"]?.numberValue ?? 0) > 0)
        #expect(json["scope"] == "mcp:read")
        #expect(json["resource"]?.stringValue == harness.clientResource)

        let api = try await harness.callAPI(token: json["access_token"]?.stringValue)
        #expect(api.status == 200)
        #expect(api.json == ["authenticated": true, "protocolVersion": .string(revision), "props": ["subject": "conformance-user"]])
    }

    @Test(arguments: MCPRevision.all)
    func rejectsPublicRequestsWithoutPKCE(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let response = try await harness.authorize(client, challenge: nil, method: nil)
        #expect(response.status == 400)
        #expect(response.error == "invalid_request")
        #expect(response.errorDescription?.contains("PKCE") == true)
    }

    @Test(arguments: MCPRevision.all)
    func rejectsPlainPKCE(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let response = try await harness.authorize(client, challenge: ConformanceHarness.verifier, method: "plain")
        #expect(response.status == 400)
        #expect(response.error == "invalid_request")
        #expect(response.errorDescription?.contains("plain PKCE method is not allowed") == true)
    }

    @Test(arguments: MCPRevision.all)
    func rejectsChallengeWithoutMethodBecauseItDefaultsToPlain(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let response = try await harness.authorize(client, method: nil)
        #expect(response.status == 400)
        #expect(response.error == "invalid_request")
        #expect(response.errorDescription?.contains("plain PKCE method is not allowed") == true)
    }

    @Test(arguments: MCPRevision.all)
    func rejectsUnsupportedPKCEMethod(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let response = try await harness.authorize(client, method: "S512")
        #expect(response.status == 400)
        #expect(response.header("Location") == nil)
        #expect(response.error == "invalid_request")
        #expect(response.errorDescription?.contains("Unsupported PKCE code_challenge_method") == true)
    }

    @Test(arguments: MCPRevision.all)
    func rejectsInvalidVerifierAtTokenEndpoint(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let client = try await harness.createClient("none")
        let code = try await harness.authorizeCode(client)
        let response = try await harness.exchange(client, code: code, verifier: "wrong-verifier-wrong-verifier-wrong-verifier-x")
        #expect(response.status == 400)
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.error == "invalid_grant")
    }
}
