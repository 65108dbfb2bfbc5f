import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// What a grant may hold: supported scopes only, this server's resources only, registered grant types only.
@Suite("Grant bounds: scopes, audience, grant types")
struct GrantBoundsTests {
    @Test("scopes the server does not support are dropped at authorization and never granted")
    func unknownScopesAreDropped() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let request = try harness.authorizationRequest(client, scope: "read admin write read")
        let authRequest = try await harness.helpers.parseAuthRequest(request)
        #expect(authRequest.scope == ["read", "write"])
        _ = try await harness.helpers.completeAuthorization(
            CompleteAuthorizationOptions(request: authRequest, userID: "alice", scope: ["read", "admin"], props: [:])
        )
        #expect(try await harness.helpers.listUserGrants("alice").items.first?.scope == ["read"])
    }

    @Test("without a canonical resource, a token asked for with no resource works only on this server's origin")
    func unboundTokensAreBoundToTheOrigin() async throws {
        let harness = try ProviderHarness(apiRoutes: ["/api", "https://other.example.com/api"])
        let client = try await harness.register()
        let tokens = try await harness.issue(client)
        #expect(tokens["resource"] == nil, "nothing was asked for, nothing is echoed")
        let token = try #require(tokens["access_token"]?.stringValue)
        #expect(try await harness.callAPI("/api", token: token).status == 200)
        let elsewhere = try await harness.client.send(.get, "https://other.example.com/api", headers: [("Authorization", "Bearer \(token)")])
        #expect(elsewhere.status == 401)
        #expect(try await harness.helpers.unwrapToken(token)?.audience == [ProviderHarness.origin])
    }

    @Test("a resource on another origin is invalid_target at authorization and at the token endpoint")
    func foreignResourcesAreRefused() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let request = try harness.authorizationRequest(client, extra: [URLQueryItem(name: "resource", value: "https://evil.example/mcp")])
        do {
            _ = try await harness.helpers.parseAuthRequest(request)
            Issue.record("a foreign resource was accepted")
        } catch let error as AuthorizationError {
            #expect(error.code == .invalidTarget)
        }
        let code = try await harness.authorize(client)
        let response = try await harness.token(
            client,
            [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", ProviderHarness.callback),
                ("code_verifier", ProviderHarness.verifier), ("resource", "https://evil.example/mcp"),
            ]
        )
        #expect(response.status == 400)
        #expect(response.error == "invalid_target")
        #expect(try await harness.exchange(client, code: code).status == 200, "the refused request left the code usable")
    }

    @Test("a canonical resource given as a path binds every token to it on the origin the request arrived at")
    func pathCanonicalResource() async throws {
        let harness = try ProviderHarness(apiRoutes: ["/mcp"]) { $0.resourceMetadata = ResourceMetadata(resource: "/mcp") }
        let client = try await harness.register()
        let tokens = try await harness.issue(client)
        #expect(tokens["resource"] == .string(ProviderHarness.origin + "/mcp"))
        let token = try #require(tokens["access_token"]?.stringValue)
        #expect(try await harness.callAPI("/mcp", token: token).status == 200)
        let metadata = try await harness.client.send(.get, "/.well-known/oauth-protected-resource/mcp")
        #expect(metadata.json?["resource"] == .string(ProviderHarness.origin + "/mcp"))
        #expect(throws: OAuthProviderError.self) {
            try ProviderHarness { $0.resourceMetadata = ResourceMetadata(resource: "/mcp#x") }
        }
    }

    @Test("a client registered only for authorization_code gets no refresh token and cannot refresh (unauthorized_client)")
    func registeredGrantTypesAreEnforced() async throws {
        let harness = try ProviderHarness()
        let codeOnly = try await harness.helpers.createClient(
            ClientInfo(redirectURIs: [ProviderHarness.callback], grantTypes: [.authorizationCode], tokenEndpointAuthMethod: .none)
        )
        let tokens = try await harness.issue(codeOnly)
        #expect(tokens["refresh_token"] == nil)
        let refresh = try await harness.token(codeOnly, [("grant_type", "refresh_token"), ("refresh_token", "a:b:c")])
        #expect(refresh.status == 400)
        #expect(refresh.error == "unauthorized_client")

        let registered = try await harness.client.postJSON(
            "/oauth/register",
            ["redirect_uris": [.string(ProviderHarness.callback)], "token_endpoint_auth_method": "none", "grant_types": ["authorization_code"]]
        )
        let id = try #require(registered.json?["client_id"]?.stringValue)
        let dynamic = RegisteredClient(client: try #require(try await harness.helpers.lookupClient(id)), clientSecret: nil)
        #expect(try await harness.issue(dynamic)["refresh_token"] == nil)

        let refreshOnly = try await harness.helpers.createClient(
            ClientInfo(redirectURIs: [ProviderHarness.callback], grantTypes: [.refreshToken], tokenEndpointAuthMethod: .none)
        )
        let exchange = try await harness.token(refreshOnly, [("grant_type", "authorization_code"), ("code", "a:b:c")])
        #expect(exchange.error == "unauthorized_client")
    }
}
