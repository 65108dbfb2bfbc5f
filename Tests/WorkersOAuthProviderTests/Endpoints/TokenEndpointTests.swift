import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

@Suite struct TokenEndpointTests {
    @Test func malformedRequestsGetPrecise4xxErrors() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let id = client.client.clientID

        let get = try await harness.client.send(.get, "/oauth/token")
        #expect(get.status == 405)
        #expect(get.error == "invalid_request")
        let json = try await harness.client.postJSON("/oauth/token", ["grant_type": "refresh_token"])
        #expect(json.status == 400)
        #expect(json.errorDescription?.contains("application/x-www-form-urlencoded") == true)
        let badForm = try await harness.client.send(
            .post, "/oauth/token", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "a=%zz"
        )
        #expect(badForm.status == 400)
        let repeated = try await harness.client.postForm("/oauth/token", [("client_id", id), ("client_id", id)])
        #expect(repeated.errorDescription == "Request parameter \"client_id\" must not be repeated")
        let missing = try await harness.client.postForm("/oauth/token", [("client_id", id)])
        #expect(missing.status == 400)
        #expect(missing.error == "invalid_request")
        let unknown = try await harness.client.postForm("/oauth/token", [("grant_type", "password"), ("client_id", id)])
        #expect(unknown.error == "unsupported_grant_type")
        let noClient = try await harness.client.postForm("/oauth/token", [("grant_type", "refresh_token")])
        #expect(noClient.status == 401)
        #expect(noClient.header("WWW-Authenticate") == nil)
        let garbageCode = try await harness.client.postForm(
            "/oauth/token", [("grant_type", "authorization_code"), ("code", "nonsense"), ("client_id", id)]
        )
        #expect(garbageCode.error == "invalid_grant")
        let garbageRefresh = try await harness.client.postForm(
            "/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", "a:b:c"), ("client_id", id)]
        )
        #expect(garbageRefresh.error == "invalid_grant")
    }

    @Test func oversizedIdentifiersAreRejectedNotCrashed() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let long = String(repeating: "u", count: 600)
        let code = try await harness.client.postForm(
            "/oauth/token", [("grant_type", "authorization_code"), ("code", "\(long):g:s"), ("client_id", client.client.clientID)]
        )
        #expect(code.error == "invalid_grant")
        let unknownClient = try await harness.client.postForm("/oauth/token", [("grant_type", "refresh_token"), ("client_id", long)])
        #expect(unknownClient.status == 401)
        let api = try await harness.callAPI(token: "\(long):g:s")
        #expect(api.status == 401)
        #expect(api.error == "invalid_token")
    }

    @Test func codeExchangeRequiresTheRedirectURIUsedAtAuthorization() async throws {
        let harness = try ProviderHarness()
        let other = "https://app.example.com/other-callback"
        let client = try await harness.register(redirectURIs: [ProviderHarness.callback, other])
        let code = try await harness.authorize(client)
        let switched = try await harness.token(
            client,
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", other), ("code_verifier", ProviderHarness.verifier)]
        )
        #expect(switched.error == "invalid_grant")
        #expect(try await harness.exchange(client, code: code).status == 200)
    }

    @Test func basicAuthenticationIsParsedStrictly() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register(.clientSecretBasic)
        let basic = [("Authorization", "Basic " + Data("\(client.client.clientID):\(client.clientSecret!)".utf8).base64EncodedString())]
        let both = try await harness.client.postForm(
            "/oauth/token", [("grant_type", "refresh_token"), ("client_id", client.client.clientID), ("client_secret", client.clientSecret!)],
            headers: basic
        )
        #expect(both.status == 400)
        #expect(both.errorDescription == "Client must not use multiple authentication methods")
        // A body client_id beside Basic (what the Python MCP SDK sends) is one method, if it names the same client.
        let sameID = try await harness.client.postForm(
            "/oauth/token", [("grant_type", "refresh_token"), ("client_id", client.client.clientID), ("refresh_token", "a:b:c")],
            headers: basic
        )
        #expect(sameID.error == "invalid_grant")
        let otherID = try await harness.client.postForm(
            "/oauth/token", [("grant_type", "refresh_token"), ("client_id", "someone-else"), ("refresh_token", "a:b:c")],
            headers: basic
        )
        #expect(otherID.status == 400)
        #expect(otherID.error == "invalid_request")
        for header in ["Basic", "Basic !!!", "basic " + Data("no-colon".utf8).base64EncodedString()] {
            let response = try await harness.client.postForm("/oauth/token", [("grant_type", "refresh_token")], headers: [("Authorization", header)])
            #expect(response.status == 401)
            #expect(response.header("WWW-Authenticate") == "Basic realm=\"OAuth\"")
        }
    }

    @Test func percentEncodedBasicCredentialsAreDecoded() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register(.clientSecretBasic)
        let secret = "p@ss word+/:"
        let updated = try #require(try await harness.helpers.updateClient(client.client, newSecret: secret))
        let encoded = "\(updated.client.clientID):\(secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        let response = try await harness.client.postForm(
            "/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", "a:b:c")],
            headers: [("Authorization", "Basic " + Data(encoded.utf8).base64EncodedString())]
        )
        #expect(response.error == "invalid_grant")
    }

    @Test func accessTokensExpire() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let tokens = try await harness.issue(client)
        #expect(tokens["expires_in"] == 3600)
        let token = try #require(tokens["access_token"]?.stringValue)
        harness.clock.advance(by: 3590)
        #expect(try await harness.callAPI(token: token).status == 200)
        harness.clock.advance(by: 20)
        let expired = try await harness.callAPI(token: token)
        #expect(expired.status == 401)
        #expect(expired.error == "invalid_token")
    }

    @Test func authorizationCodesExpireAfterTenMinutes() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let code = try await harness.authorize(client)
        harness.clock.advance(by: 601)
        let response = try await harness.exchange(client, code: code)
        #expect(response.error == "invalid_grant")
    }

    @Test func refreshTokensCanBeDisabled() async throws {
        let harness = try ProviderHarness { $0.refreshTokenTTL = .seconds(0) }
        let client = try await harness.register()
        let tokens = try await harness.issue(client)
        #expect(tokens["refresh_token"] == nil)
        #expect(tokens["access_token"]?.stringValue != nil)
        let grant = try #require(try await harness.helpers.listUserGrants("alice").items.first)
        #expect(grant.expiresAt == Int(harness.clock.now.timeIntervalSince1970) + 3600)
    }

    @Test func refreshTokensExpireAfterThirtyDaysByDefault() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let refresh = try #require(try await harness.issue(client)["refresh_token"]?.stringValue)
        harness.clock.advance(by: 29 * 86_400)
        let stillValid = try await harness.token(client, [("grant_type", "refresh_token"), ("refresh_token", refresh)])
        #expect(stillValid.status == 200)
        let next = try #require(stillValid.json?["refresh_token"]?.stringValue)
        harness.clock.advance(by: 2 * 86_400)
        let expired = try await harness.token(client, [("grant_type", "refresh_token"), ("refresh_token", next)])
        #expect(expired.error == "invalid_grant")
    }

    @Test func refreshTokensCanNeverExpire() async throws {
        let harness = try ProviderHarness { $0.refreshTokenTTL = .never }
        let client = try await harness.register()
        let refresh = try #require(try await harness.issue(client)["refresh_token"]?.stringValue)
        harness.clock.advance(by: 400 * 86_400)
        let response = try await harness.token(client, [("grant_type", "refresh_token"), ("refresh_token", refresh)])
        #expect(response.status == 200)
    }

    @Test func refreshedAccessTokensNeverOutliveTheGrant() async throws {
        let harness = try ProviderHarness { $0.refreshTokenTTL = .seconds(1800) }
        let client = try await harness.register()
        let refresh = try #require(try await harness.issue(client)["refresh_token"]?.stringValue)
        harness.clock.advance(by: 600)
        let response = try await harness.token(client, [("grant_type", "refresh_token"), ("refresh_token", refresh)])
        #expect(response.json?["expires_in"] == 1200)
    }

    @Test func tokenExchangeCallbackRewritesPropsScopeAndLifetime() async throws {
        let harness = try ProviderHarness { options in
            options.tokenExchangeCallback = { input in
                TokenExchangeResult(
                    accessTokenProps: ["stage": .string(input.grantType.rawValue), "was": input.props],
                    accessTokenTTL: 120,
                    accessTokenScope: ["read", "admin"]
                )
            }
        }
        let client = try await harness.register()
        let tokens = try await harness.issue(client)
        #expect(tokens["expires_in"] == 120)
        #expect(tokens["scope"] == "read")
        let api = try await harness.callAPI(token: tokens["access_token"]?.stringValue)
        #expect(api.json?["props"] == ["stage": "authorization_code", "was": ["login": "alice"]])
    }

    @Test func tokenExchangeCallbackNewPropsPersistAcrossRefresh() async throws {
        let harness = try ProviderHarness { options in
            options.tokenExchangeCallback = { input in
                input.grantType == .authorizationCode ? TokenExchangeResult(newProps: ["upstream": "fresh"]) : nil
            }
        }
        let client = try await harness.register()
        let refresh = try #require(try await harness.issue(client)["refresh_token"]?.stringValue)
        let refreshed = try await harness.token(client, [("grant_type", "refresh_token"), ("refresh_token", refresh)])
        let api = try await harness.callAPI(token: refreshed.json?["access_token"]?.stringValue)
        #expect(api.json?["props"] == ["upstream": "fresh"])
    }

    @Test func tokenExchangeCallbackErrorsAreStructuredOrOpaque() async throws {
        struct Secret: Error {}
        let harness = try ProviderHarness { options in
            options.tokenExchangeCallback = { input in
                if input.props["login"] == "bob" { throw Secret() }
                throw OAuthError(.invalidGrant, description: "upstream account disabled")
            }
        }
        let client = try await harness.register()
        let code = try await harness.authorize(client)
        let refused = try await harness.exchange(client, code: code)
        #expect(refused.status == 400)
        #expect(refused.json == ["error": "invalid_grant", "error_description": "upstream account disabled"])
        let crashing = try await harness.authorize(client, userID: "bob", props: ["login": "bob"])
        let opaque = try await harness.exchange(client, code: crashing)
        #expect(opaque.status == 500)
        #expect(opaque.json == ["error": "server_error", "error_description": "Internal server error"])
    }

    @Test func refreshTokenTTLCannotChangeAtRefresh() async throws {
        let harness = try ProviderHarness { options in
            options.tokenExchangeCallback = { input in
                input.grantType == .refreshToken ? TokenExchangeResult(refreshTokenTTL: .never) : nil
            }
        }
        let client = try await harness.register()
        let refresh = try #require(try await harness.issue(client)["refresh_token"]?.stringValue)
        let response = try await harness.token(client, [("grant_type", "refresh_token"), ("refresh_token", refresh)])
        #expect(response.status == 400)
        #expect(response.error == "invalid_request")
    }

    @Test func anotherClientCannotUseACodeOrRefreshToken() async throws {
        let harness = try ProviderHarness()
        let owner = try await harness.register()
        let other = try await harness.register()
        let code = try await harness.authorize(owner)
        let stolen = try await harness.exchange(other, code: code)
        #expect(stolen.error == "invalid_grant")
        let tokens = try #require(try await harness.exchange(owner, code: code).json)
        let refresh = try await harness.token(other, [("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"]!.stringValue!)])
        #expect(refresh.error == "invalid_grant")
    }
}
