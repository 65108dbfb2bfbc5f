import Foundation
import HTTPTypes
import Testing
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// The `client_credentials` grant (RFC 6749 §4.4) for machine clients.
@Suite struct ClientCredentialsTests {
    static func enabled(_ options: inout OAuthProvider.Options) {
        options.allowClientCredentialsGrant = true
        options.clientCredentialsCallback = { input in
            ["machine": .string(input.clientID), "resource": .string(input.resource)]
        }
    }

    func machine(_ harness: ResourcesHarness, scope: String? = "a:read", method: TokenEndpointAuthMethod = .clientSecretBasic)
        async throws -> RegisteredClient
    {
        try await harness.helpers.createClient(
            ClientInfo(redirectURIs: [], grantTypes: [.clientCredentials], tokenEndpointAuthMethod: method, scope: scope)
        )
    }

    func request(_ harness: ResourcesHarness, _ registered: RegisteredClient, _ pairs: [(String, String)]) async throws -> TestResponse {
        let credentials = Data("\(registered.client.clientID):\(registered.clientSecret ?? "")".utf8).base64EncodedString()
        return try await harness.client.postForm(
            "/oauth/token", [("grant_type", "client_credentials")] + pairs, headers: [("Authorization", "Basic \(credentials)")]
        )
    }

    @Test(arguments: TestMode.allCases)
    func aConfidentialClientGetsATokenOfItsOwn(mode: TestMode) async throws {
        try await ResourcesHarness.test(mode, configure: Self.enabled) { harness in
            let registered = try await machine(harness)
            let response = try await request(harness, registered, [("scope", "a:read")])
            #expect(response.status == 200, "\(response.text)")
            #expect(response.header("Cache-Control") == "no-store")
            let body = try #require(response.json)
            #expect(body["refresh_token"] == nil)
            #expect(body["scope"]?.stringValue == "a:read")
            #expect(body["token_type"]?.stringValue == "bearer")
            #expect(body["resource"]?.stringValue == (try harness.uri("/a")))

            let call = try await harness.call("/a", token: body["access_token"]?.stringValue)
            #expect(call.status == 200)
            #expect(call.json?["client_id"]?.stringValue == registered.client.clientID)
            #expect(call.json?["subject"]?.stringValue == registered.client.clientID)
            #expect(call.json?["props"]?["machine"]?.stringValue == registered.client.clientID)
            // A token for A is a token for A only.
            #expect(try await harness.call("/b", token: body["access_token"]?.stringValue).status == 401)

            let server = try await harness.client.send(.get, "/.well-known/oauth-authorization-server")
            #expect(server.json?["grant_types_supported"]?.stringArray?.contains("client_credentials") == true)
        }
    }

    @Test func withoutAScopeItGetsWhatItWasRegisteredWith() async throws {
        try await ResourcesHarness.test(.inProcess, configure: Self.enabled) { harness in
            let registered = try await machine(harness, scope: "a:read a:write")
            let response = try await request(harness, registered, [])
            #expect(response.json?["scope"]?.stringValue == "a:read a:write")
            // Its own scopes make a:write operations possible.
            let write = try await harness.call("/a/write", token: response.json?["access_token"]?.stringValue)
            #expect(write.status == 200)
        }
    }

    @Test func overScopedRequestsAreRefused() async throws {
        try await ResourcesHarness.test(.inProcess, configure: Self.enabled) { harness in
            let registered = try await machine(harness, scope: "a:read")
            let beyondRegistration = try await request(harness, registered, [("scope", "a:read a:write")])
            #expect(beyondRegistration.status == 400)
            #expect(beyondRegistration.json?["error"]?.stringValue == "invalid_scope")

            let unregistered = try await machine(harness, scope: nil)
            let anyOfTheResources = try await request(harness, unregistered, [("scope", "a:write")])
            #expect(anyOfTheResources.status == 200)
            let notTheResources = try await request(harness, unregistered, [("scope", "b:read")])
            #expect(notTheResources.status == 400)
            #expect(notTheResources.json?["error"]?.stringValue == "invalid_scope")
            let forB = try await request(harness, unregistered, [("scope", "b:read"), ("resource", try harness.uri("/b"))])
            #expect(forB.status == 200)
            #expect(forB.json?["resource"]?.stringValue == (try harness.uri("/b")))
            let foreign = try await request(harness, unregistered, [("resource", "https://elsewhere.example.com/")])
            #expect(foreign.json?["error"]?.stringValue == "invalid_target")
        }
    }

    @Test func publicClientsAndClientsNotRegisteredForItAreRefused() async throws {
        try await ResourcesHarness.test(.inProcess, configure: Self.enabled) { harness in
            let publicClient = try await harness.helpers.createClient(
                ClientInfo(redirectURIs: [], grantTypes: [.clientCredentials], tokenEndpointAuthMethod: .none)
            )
            let refused = try await harness.client.postForm(
                "/oauth/token", [("grant_type", "client_credentials"), ("client_id", publicClient.client.clientID)]
            )
            #expect(refused.status == 400)
            #expect(refused.json?["error"]?.stringValue == "unauthorized_client")

            let interactive = try await harness.helpers.createClient(ClientInfo(redirectURIs: [ResourcesHarness.callback]))
            let notRegistered = try await request(harness, interactive, [])
            #expect(notRegistered.json?["error"]?.stringValue == "unauthorized_client")

            let registered = try await machine(harness)
            let wrongSecret = try await harness.client.postForm(
                "/oauth/token", [("grant_type", "client_credentials")],
                headers: [("Authorization", "Basic " + Data("\(registered.client.clientID):nope".utf8).base64EncodedString())]
            )
            #expect(wrongSecret.status == 401)
            #expect(wrongSecret.json?["error"]?.stringValue == "invalid_client")
        }
    }

    @Test func itIsOffUnlessEnabled() async throws {
        try await ResourcesHarness.test(.inProcess) { harness in
            let registered = try await machine(harness)
            let response = try await request(harness, registered, [])
            #expect(response.json?["error"]?.stringValue == "unsupported_grant_type")
            let server = try await harness.client.send(.get, "/.well-known/oauth-authorization-server")
            #expect(server.json?["grant_types_supported"]?.stringArray?.contains("client_credentials") == false)
        }
    }

    @Test func itsTokensCanBeRevoked() async throws {
        try await ResourcesHarness.test(.inProcess, configure: Self.enabled) { harness in
            let registered = try await machine(harness)
            let token = try #require(try await request(harness, registered, []).json?["access_token"]?.stringValue)
            #expect(try await harness.call("/a", token: token).status == 200)
            let credentials = Data("\(registered.client.clientID):\(registered.clientSecret!)".utf8).base64EncodedString()
            let revoked = try await harness.client.postForm(
                "/oauth/token", [("token", token)], headers: [("Authorization", "Basic \(credentials)")]
            )
            #expect(revoked.status == 200)
            #expect(try await harness.call("/a", token: token).status == 401)
        }
    }
}
