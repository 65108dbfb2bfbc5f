import Foundation
import HTTPTypes
import JWTKit
import Testing
@testable import WorkersOAuthProvider
import WorkersKV
import WorkersRuntime
import WorkersTesting

/// RFC 9068 JWT access tokens for the resources that ask for them: the claims, the signature against the served
/// JWK Set, this provider's own check against the store (props, revocation at once), introspection.
@Suite struct JWTAccessTokenTests {
    /// The header and claims of a compact JWS, unverified.
    static func decode(_ jwt: String) throws -> (header: JSONValue, claims: JSONValue) {
        let parts = jwt.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        func json(_ segment: String) throws -> JSONValue {
            try JSONValue(parsing: try #require(Data(base64URLEncoded: segment)))
        }
        return (try json(parts[0]), try json(parts[1]))
    }

    @Test(arguments: TestMode.allCases)
    func aJWTResourceGetsASignedAccessTokenWithTheRFC9068Claims(mode: TestMode) async throws {
        try await ResourcesHarness.test(mode, jwt: true) { harness in
            let registered = try await harness.publicClient()
            let issued = try await harness.issue(registered, resources: [try harness.uri("/b")], scope: "b:read")
            let jwt = try #require(issued["access_token"]?.stringValue)
            #expect(issued["expires_in"] == 300, "a JWT lives at most accessTokenSigning.lifetime")
            let (header, claims) = try Self.decode(jwt)
            #expect(header["typ"] == "at+jwt")
            #expect(header["alg"] == "ES256")
            #expect(header["kid"]?.stringValue?.isEmpty == false)
            #expect(claims["iss"]?.stringValue == (try harness.origin()))
            #expect(claims["sub"] == "alice")
            #expect(claims["aud"]?.stringValue == (try harness.uri("/b")))
            #expect(claims["client_id"]?.stringValue == registered.client.clientID)
            #expect(claims["scope"] == "b:read")
            #expect(claims["props"] == nil && claims["login"] == nil, "props never go into a JWT")
            let iat = try #require(claims["iat"]?.numberValue)
            #expect(claims["exp"]?.numberValue == iat + 300)
            let grant = try #require(try await harness.helpers.listUserGrants("alice").items.first)
            #expect(claims["jti"]?.stringValue?.hasPrefix(grant.id + ".") == true)

            // Any resource server can check it offline against the served key set.
            let jwks = try await harness.client.send(.get, "/.well-known/jwks.json")
            let keys = try await JWTKeyCollection().add(jwksJSON: jwks.text)
            let verified = try await keys.verify(jwt, as: AccessTokenClaims.self)
            #expect(verified.aud == (try harness.uri("/b")))
            let metadata = try await harness.client.send(.get, "/.well-known/oauth-authorization-server")
            #expect(metadata.json?["jwks_uri"]?.stringValue == (try harness.uri("/.well-known/jwks.json")))

            // This provider's own route checks it against the store: props reach the handler.
            let call = try await harness.call("/b", token: jwt)
            #expect(call.status == 200)
            #expect(call.json?["props"]?["login"] == "alice")
            #expect(call.json?["scopes"]?.stringArray == ["b:read"])
            #expect(try await harness.call("/a", token: jwt).status == 401)
        }
    }

    @Test func opaqueResourcesKeepOpaqueTokens() async throws {
        try await ResourcesHarness.test(.inProcess, jwt: true) { harness in
            let registered = try await harness.publicClient()
            let issued = try await harness.issue(registered, resources: [try harness.uri("/a")], scope: "a:read")
            let token = try #require(issued["access_token"]?.stringValue)
            #expect(token.split(separator: ":").count == 3)
            #expect(issued["expires_in"] == 3600)
        }
    }

    @Test func aRevokedGrantsJWTIsRefusedHereAtOnceAndIntrospectsInactive() async throws {
        try await ResourcesHarness.test(.live, jwt: true, configure: { $0.introspectionEndpoint = "/oauth/introspect" }) { harness in
            let resourceServer = try await harness.helpers.createClient(ClientInfo(redirectURIs: [], grantTypes: []))
            let basic = "Basic " + Data("\(resourceServer.client.clientID):\(resourceServer.clientSecret!)".utf8).base64EncodedString()
            func introspect(_ token: String) async throws -> JSONValue? {
                try await harness.client.postForm("/oauth/introspect", [("token", token)], headers: [("Authorization", basic)]).json
            }
            let registered = try await harness.publicClient()
            let issued = try await harness.issue(registered, resources: [try harness.uri("/b")], scope: "b:read")
            let jwt = try #require(issued["access_token"]?.stringValue)
            let refresh = try #require(issued["refresh_token"]?.stringValue)

            let refreshed = try await harness.client.postForm(
                "/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", registered.client.clientID)]
            )
            let second = try #require(refreshed.json?["access_token"]?.stringValue)
            #expect(second != jwt)
            #expect(try Self.decode(second).claims["jti"] != (try Self.decode(jwt).claims["jti"]))
            #expect(try await harness.call("/b", token: second).status == 200)
            let live = try #require(try await introspect(second))
            #expect(live["active"] == true)
            #expect(live["jti"] == (try Self.decode(second).claims["jti"]))
            #expect(live["aud"]?.stringValue == (try harness.uri("/b")))
            #expect(live["props"]?["login"] == "alice", "an operator-registered resource server gets the props")

            let grant = try #require(try await harness.helpers.listUserGrants("alice").items.first)
            try await harness.helpers.revokeGrant(grant.id, userID: "alice")
            #expect(try await harness.call("/b", token: second).status == 401)
            #expect(try await harness.call("/b", token: jwt).status == 401)
            #expect(try await introspect(second) == ["active": false])
        }
    }

    @Test func aForgedJWTIsRefused() async throws {
        try await ResourcesHarness.test(.inProcess, jwt: true) { harness in
            let registered = try await harness.publicClient()
            let jwt = try #require(try await harness.issue(registered, resources: [try harness.uri("/b")], scope: "b:read")["access_token"]?.stringValue)
            var parts = jwt.split(separator: ".").map(String.init)
            guard case .object(var claims) = try Self.decode(jwt).claims else { Issue.record("claims are not an object"); return }
            claims["scope"] = "b:read b:admin"
            parts[1] = try JSONValue.object(claims).jsonData().base64URLEncodedString()
            #expect(try await harness.call("/b", token: parts.joined(separator: ".")).status == 401)
            #expect(try await harness.call("/b", token: "e30.e30.e30").status == 401)
            #expect(try await harness.call("/b", token: "not.a.jwt").status == 401)
        }
    }

    @Test func machineClientsGetJWTsWhoseSubjectIsTheClient() async throws {
        try await ResourcesHarness.test(.inProcess, jwt: true, configure: { $0.allowClientCredentialsGrant = true }) { harness in
            let registered = try await harness.helpers.createClient(
                ClientInfo(redirectURIs: [], grantTypes: [.clientCredentials], tokenEndpointAuthMethod: .clientSecretPost)
            )
            let response = try await harness.client.postForm(
                "/oauth/token",
                [
                    ("grant_type", "client_credentials"), ("resource", ResourcesHarness.remote), ("scope", "notes:read"),
                    ("client_id", registered.client.clientID), ("client_secret", registered.clientSecret!),
                ]
            )
            #expect(response.status == 200, "\(response.text)")
            let claims = try Self.decode(try #require(response.json?["access_token"]?.stringValue)).claims
            #expect(claims["sub"]?.stringValue == registered.client.clientID)
            #expect(claims["client_id"]?.stringValue == registered.client.clientID)
            #expect(claims["aud"]?.stringValue == ResourcesHarness.remote)
            #expect(response.json?["refresh_token"] == nil)
        }
    }

    @Test func aProviderWithJWTResourcesNeedsItsSigningSecret() throws {
        let provider = try ResourcesHarness.provider(clock: TestClock(), jwt: true)
        #expect(throws: OAuthProviderError.self) {
            try provider.checkEnvironment(Env(bindings: ["OAUTH_KV": MemoryKV()]))
        }
        try provider.checkEnvironment(
            Env(secrets: ["SIGNING_KEY_ENCRYPTION_KEY": ResourcesHarness.signingSecret], bindings: ["OAUTH_KV": MemoryKV()])
        )
    }
}
