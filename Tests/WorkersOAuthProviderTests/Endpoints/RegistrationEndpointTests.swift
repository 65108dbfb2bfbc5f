import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

@Suite struct RegistrationEndpointTests {
    static let metadata: JSONValue = ["redirect_uris": ["https://app.example.com/cb"], "token_endpoint_auth_method": "none"]

    @Test func registersAndStoresOnlyTheSecretHashUnusedFor24HoursThenFor90Days() async throws {
        let harness = try ProviderHarness()
        let response = try await harness.client.postJSON(
            "/oauth/register", ["redirect_uris": ["https://app.example.com/cb"], "client_name": "App", "client_uri": "https://app.example.com"]
        )
        #expect(response.status == 201)
        #expect(response.header("Cache-Control") == "no-store")
        let json = try #require(response.json)
        #expect(json["token_endpoint_auth_method"] == "client_secret_basic")
        #expect(json["grant_types"] == ["authorization_code"])
        let secret = try #require(json["client_secret"]?.stringValue)
        let issuedAt = try #require(json["client_id_issued_at"]?.numberValue)
        #expect(json["client_secret_expires_at"]?.numberValue == issuedAt + 7_776_000)
        let id = try #require(json["client_id"]?.stringValue)
        let entry = try #require(try await harness.kv.getEntry("client:\(id)"))
        #expect(!entry.text.contains(secret))
        // Until a user completes an authorization for it, a registration lives 24 hours, not 90 days.
        #expect(entry.expiration == Int(issuedAt) + 86_400)
        #expect(try await harness.helpers.lookupClient(id)?.clientName == "App")
        var consent = URLComponents(string: ProviderHarness.origin + "/authorize")!
        consent.queryItems = [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: id),
            URLQueryItem(name: "redirect_uri", value: "https://app.example.com/cb"),
        ]
        let authRequest = try await harness.helpers.parseAuthRequest(Request(url: consent.url!))
        _ = try await harness.helpers.completeAuthorization(
            CompleteAuthorizationOptions(request: authRequest, userID: "alice", scope: [], props: [:])
        )
        #expect(try await harness.kv.getEntry("client:\(id)")?.expiration == Int(issuedAt) + 7_776_000)

        harness.clock.advance(by: 86_400)
        var renamed = try #require(try await harness.helpers.lookupClient(id))
        renamed.clientName = "Renamed"
        _ = try await harness.helpers.updateClient(renamed)
        #expect(try await harness.kv.getEntry("client:\(id)")?.expiration == Int(issuedAt) + 7_776_000)
    }

    @Test func rejectsOversizedMalformedAndInvalidMetadata() async throws {
        let harness = try ProviderHarness()
        let big = String(repeating: "x", count: 1_048_577)
        let tooLarge = try await harness.client.send(.post, "/oauth/register", headers: [("Content-Type", "application/json")], body: big)
        #expect(tooLarge.status == 413)
        let declared = try await harness.client.send(.post, "/oauth/register", headers: [("Content-Length", "2000000")], body: "{}")
        #expect(declared.status == 413)
        let notJSON = try await harness.client.send(.post, "/oauth/register", body: "{nope")
        #expect(notJSON.status == 400)
        #expect(notJSON.error == "invalid_request")
        #expect(try await harness.client.postJSON("/oauth/register", ["a", "b"]).error == "invalid_client_metadata")
        #expect(try await harness.client.send(.get, "/oauth/register").status == 405)
        let cases: [JSONValue] = [
            [:],
            ["redirect_uris": []],
            ["redirect_uris": "https://app.example.com/cb"],
            ["redirect_uris": ["javascript:alert(1)"]],
            ["redirect_uris": ["https://app.example.com/cb"], "client_uri": "ftp://x"],
            ["redirect_uris": ["https://app.example.com/cb"], "grant_types": ["refresh_token"]],
            ["redirect_uris": ["https://app.example.com/cb"], "response_types": ["token"]],
            ["redirect_uris": ["https://app.example.com/cb"], "token_endpoint_auth_method": 3],
        ]
        for metadata in cases {
            let response = try await harness.client.postJSON("/oauth/register", metadata)
            #expect(response.status == 400, "\(metadata.jsonString)")
            #expect(["invalid_client_metadata", "invalid_redirect_uri"].contains(response.error ?? ""), "\(metadata.jsonString)")
        }
    }

    @Test func negotiatesTheAuthenticationMethod() async throws {
        let harness = try ProviderHarness()
        let response = try await harness.client.postJSON(
            "/oauth/register",
            ["redirect_uris": ["https://app.example.com/cb"], "token_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_post"]]
        )
        #expect(response.json?["token_endpoint_auth_method"] == "client_secret_post")
    }

    @Test func publicClientsCanBeRefused() async throws {
        let harness = try ProviderHarness { $0.disallowPublicClientRegistration = true }
        let response = try await harness.client.postJSON("/oauth/register", Self.metadata)
        #expect(response.status == 400)
        #expect(response.errorDescription == "Public client registration is not allowed")
    }

    @Test func aPolicyCallbackCanRefuseRegistrations() async throws {
        let harness = try ProviderHarness { options in
            options.clientRegistrationCallback = { input in
                input.clientMetadata["client_name"] == "blocked"
                    ? OAuthError(.invalidClientMetadata, description: "Client registration denied", status: .forbidden) : nil
            }
        }
        var blocked = Self.metadata.objectValue!
        blocked["client_name"] = "blocked"
        let refused = try await harness.client.postJSON("/oauth/register", .object(blocked))
        #expect(refused.status == 403)
        #expect(try await harness.client.postJSON("/oauth/register", Self.metadata).status == 201)
    }
}

/// SEP-837 `application_type` at dynamic registration.
@Suite("Registration application_type")
struct RegistrationApplicationTypeTests {
    @Test("web clients register only public https redirect URIs; native ones loopback http and private-use schemes")
    func redirectURIsByApplicationType() async throws {
        let harness = try ProviderHarness()
        for uri in ["http://127.0.0.1:8080/cb", "https://localhost/cb", "com.example.app:/cb"] {
            let refused = try await harness.client.postJSON(
                "/oauth/register", ["application_type": "web", "redirect_uris": [.string(uri)], "token_endpoint_auth_method": "none"])
            #expect(refused.status == 400, "\(uri)")
            #expect(refused.json?["error"] == "invalid_redirect_uri", "\(uri)")
        }
        let web = try await harness.client.postJSON(
            "/oauth/register", ["application_type": "web", "redirect_uris": ["https://app.example.com/cb"], "token_endpoint_auth_method": "none"])
        #expect(web.status == 201)
        #expect(web.json?["application_type"] == "web")
        let native = try await harness.client.postJSON(
            "/oauth/register",
            ["application_type": "native", "redirect_uris": ["http://127.0.0.1:33418/cb", "com.example.app:/cb"], "token_endpoint_auth_method": "none"])
        #expect(native.status == 201, "\(native.text)")
        #expect(native.json?["application_type"] == "native")
        let id = try #require(native.json?["client_id"]?.stringValue)
        #expect(try await harness.helpers.lookupClient(id)?.applicationType == .native)
        let unknown = try await harness.client.postJSON(
            "/oauth/register", ["application_type": "desktop", "redirect_uris": ["https://app.example.com/cb"]])
        #expect(unknown.status == 400)
        #expect(unknown.json?["error"] == "invalid_client_metadata")
    }
}
