import Foundation
import HTTPTypes
import Testing
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// Port of the anchor's conformance/client-registration.test.ts (CIMD scenarios excepted: CIMD is not implemented).
@Suite struct ClientRegistrationConformanceTests {
    func register(_ harness: ConformanceHarness, method: String) async throws -> TestResponse {
        try await harness.client.postJSON(
            "/oauth/register",
            [
                "client_name": "MCP conformance DCR client",
                "redirect_uris": [.string(ConformanceHarness.callback)],
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
                "token_endpoint_auth_method": .string(method),
            ]
        )
    }

    @Test(arguments: MCPRevision.all)
    func registersPublicClientThatCompletesS256Flow(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let response = try await register(harness, method: "none")
        #expect(response.status == 201)
        let json = try #require(response.json)
        #expect(json["redirect_uris"] == [.string(ConformanceHarness.callback)])
        #expect(json["token_endpoint_auth_method"] == "none")
        #expect(json["grant_types"] == ["authorization_code", "refresh_token"])
        #expect(json["response_types"] == ["code"])
        #expect(json["client_secret"] == nil)
        let client = FixtureClient(id: try #require(json["client_id"]?.stringValue), secret: nil, method: "none")
        #expect(try await harness.tokens(client)["access_token"]?.stringValue != nil)
    }

    @Test(arguments: MCPRevision.all)
    func registersConfidentialClientUsingBasic(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let json = try #require(try await register(harness, method: "client_secret_basic").json)
        let secret = try #require(json["client_secret"]?.stringValue)
        let client = FixtureClient(id: try #require(json["client_id"]?.stringValue), secret: secret, method: "client_secret_basic")
        #expect(try await harness.tokens(client)["access_token"]?.stringValue != nil)
    }

    @Test(arguments: MCPRevision.all)
    func rejectsUnsupportedCapabilities(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision)
        let response = try await harness.client.postJSON(
            "/oauth/register",
            [
                "client_name": "MCP conformance DCR client",
                "redirect_uris": [.string(ConformanceHarness.callback)],
                "grant_types": ["password"],
                "response_types": [],
                "token_endpoint_auth_method": "private_key_jwt",
            ]
        )
        #expect(response.status == 400)
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.error == "invalid_client_metadata")
    }

    @Test(arguments: MCPRevision.since("2025-11-25"))
    func supportsPreRegisteredClientWhenDCRIsDisabled(revision: String) async throws {
        let harness = try ConformanceHarness(revision: revision, dynamicClientRegistration: false)
        let metadata = try #require(try await harness.client.send(.get, "/.well-known/oauth-authorization-server").json)
        #expect(metadata["registration_endpoint"] == nil)
        let registration = try await harness.client.postJSON("/oauth/register", ["redirect_uris": ["https://a.example/cb"]])
        #expect(registration.status == 404)
        let client = try await harness.createClient("client_secret_basic")
        #expect(try await harness.tokens(client)["access_token"]?.stringValue != nil)
    }
}
