import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

@Suite struct TokenExchangeTests {
    static let accessTokenType = "urn:ietf:params:oauth:token-type:access_token"

    func exchange(_ harness: ProviderHarness, _ client: RegisteredClient, subject: String, extra: [(String, String)] = [])
        async throws -> TestResponse
    {
        try await harness.token(
            client,
            [
                ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("subject_token", subject),
                ("subject_token_type", Self.accessTokenType),
            ] + extra
        )
    }

    @Test func isOffUnlessEnabled() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let subject = try #require(try await harness.issue(client)["access_token"]?.stringValue)
        #expect(try await exchange(harness, client, subject: subject).error == "unsupported_grant_type")
        let metadata = try await harness.client.send(.get, "/.well-known/oauth-authorization-server").json
        #expect(metadata?["grant_types_supported"]?.stringArray?.contains("urn:ietf:params:oauth:grant-type:token-exchange") == false)
    }

    @Test func exchangesAClientsOwnTokenForANarrowerOne() async throws {
        let harness = try ProviderHarness { $0.allowTokenExchangeGrant = true }
        let client = try await harness.register()
        let subject = try #require(try await harness.issue(client)["access_token"]?.stringValue)
        harness.clock.advance(by: 3000)
        let response = try await exchange(harness, client, subject: subject, extra: [("scope", "read admin")])
        #expect(response.status == 200)
        let json = try #require(response.json)
        #expect(json["issued_token_type"] == .string(Self.accessTokenType))
        #expect(json["scope"] == "read")
        #expect(json["expires_in"] == 600)
        #expect(json["refresh_token"] == nil)
        let api = try await harness.callAPI(token: json["access_token"]?.stringValue)
        #expect(api.json?["props"] == ["login": "alice"])
    }

    @Test func refusesToExchangeAnotherClientsToken() async throws {
        let harness = try ProviderHarness { $0.allowTokenExchangeGrant = true }
        let victim = try await harness.register()
        let attacker = try await harness.register()
        let subject = try #require(try await harness.issue(victim)["access_token"]?.stringValue)
        let response = try await exchange(harness, attacker, subject: subject)
        #expect(response.status == 400)
        #expect(response.error == "invalid_grant")
        #expect(response.json?["access_token"] == nil)
    }

    @Test func validatesItsParameters() async throws {
        let harness = try ProviderHarness { $0.allowTokenExchangeGrant = true }
        let client = try await harness.register()
        let subject = try #require(try await harness.issue(client)["access_token"]?.stringValue)
        #expect(try await exchange(harness, client, subject: subject, extra: [("expires_in", "-5")]).error == "invalid_request")
        #expect(
            try await exchange(harness, client, subject: subject, extra: [("requested_token_type", "urn:x")]).error == "invalid_request"
        )
        #expect(try await exchange(harness, client, subject: "a:b:c").error == "invalid_grant")
        // A resource on another origin is not this server's to grant (the security hardening's audience rule).
        let foreign = try await exchange(harness, client, subject: subject, extra: [("resource", "https://elsewhere.example.com/")])
        #expect(foreign.status == 400)
        #expect(foreign.error == "invalid_target")
        #expect(
            try await exchange(harness, client, subject: subject, extra: [("resource", ProviderHarness.origin)]).status == 200
        )
    }
}
