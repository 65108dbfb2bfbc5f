import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// RFC 7662 introspection through the provider over a live socket, on a real SQLite file.
@Suite("Introspection")
struct IntrospectionTests {
    /// The answer an active access token of alice's grant for `app` gets, without props.
    static func expected(_ server: IntrospectionServer, app: RegisteredClient) -> [String: JSONValue] {
        [
            "active": true, "token_type": "Bearer", "client_id": .string(app.client.clientID), "sub": "alice",
            "aud": .string(IntrospectionServer.resource), "iss": .string(server.issuer), "scope": "read write",
            "exp": .number(Double(server.clock.seconds + 3600)), "iat": .number(Double(server.clock.seconds)),
        ]
    }

    @Test("a live access token: exactly its claims; props for an operator-created client, none for a registered one")
    func liveAccessToken() async throws {
        try await IntrospectionServer.with { server in
            let app = try await server.createClient(.none)
            let (access, _) = try await server.issue(app)
            let expected = Self.expected(server, app: app)

            let registered = try await server.registerClient()
            let bySelfRegistered = try await server.introspect(access, as: registered)
            #expect(bySelfRegistered.status == 200)
            #expect(bySelfRegistered.header("Content-Type") == "application/json")
            expectNoStore(bySelfRegistered)
            #expect(bySelfRegistered.json == .object(expected))

            for method in [TokenEndpointAuthMethod.clientSecretBasic, .clientSecretPost] {
                let resourceServer = try await server.createClient(method)
                let byOperatorCreated = try await server.introspect(access, as: resourceServer)
                #expect(byOperatorCreated.status == 200)
                expectNoStore(byOperatorCreated)
                var withProps = expected
                withProps["props"] = ["login": "alice", "upstream": "gho_secret"]
                #expect(byOperatorCreated.json == .object(withProps))
            }
        }
    }

    @Test("an access token is active until its expiry, and not at it (the provider's clock)")
    func expiredAccessToken() async throws {
        try await IntrospectionServer.with { server in
            let resourceServer = try await server.createClient(.clientSecretBasic)
            let (access, _) = try await server.issue(try await server.createClient(.none))
            server.clock.advance(by: 3599)
            #expect(try await server.introspect(access, as: resourceServer).json?["active"] == true)
            server.clock.advance(by: 1)
            let expired = try await server.introspect(access, as: resourceServer)
            #expect(expired.status == 200)
            expectNoStore(expired)
            #expect(expired.json == ["active": false])
        }
    }

    @Test("a token revoked by RFC 7009, or with its grant by revokeGrant, is inactive")
    func revokedTokens() async throws {
        try await IntrospectionServer.with { server in
            let resourceServer = try await server.createClient(.clientSecretBasic)
            let app = try await server.createClient(.clientSecretPost)

            let (first, firstRefresh) = try await server.issue(app)
            #expect(try await server.token(app, [("token", first)]).status == 200)
            #expect(try await server.introspect(first, as: resourceServer).json == ["active": false])
            // Revoking an access token leaves its refresh token; revoking the refresh token takes the grant.
            #expect(try await server.introspect(firstRefresh, as: resourceServer).json?["active"] == true)
            #expect(try await server.token(app, [("token", firstRefresh), ("token_type_hint", "refresh_token")]).status == 200)
            #expect(try await server.introspect(firstRefresh, as: resourceServer).json == ["active": false])

            let (second, secondRefresh) = try await server.issue(app)
            #expect(try await server.introspect(second, as: resourceServer).json?["active"] == true)
            let grantID = try #require(second.split(separator: ":").dropFirst().first.map(String.init))
            try await server.helpers.revokeGrant(grantID, userID: "alice")
            #expect(try await server.introspect(second, as: resourceServer).json == ["active": false])
            #expect(try await server.introspect(secondRefresh, as: resourceServer).json == ["active": false])
        }
    }

    @Test("garbage, unknown, foreign-shaped tokens and authorization codes are inactive, never an error")
    func foreignTokens() async throws {
        try await IntrospectionServer.with { server in
            let resourceServer = try await server.createClient(.clientSecretBasic)
            let app = try await server.createClient(.none)
            let (access, _) = try await server.issue(app)
            let parts = access.split(separator: ":").map(String.init)
            let forged = "\(parts[0]):\(parts[1]):\(String(repeating: "A", count: parts[2].count))"
            let garbage = [
                "garbage", "a:b:c", "::", "alice:grant:secret:extra", forged, "eyJhbGciOiJFUzI1NiJ9.e30.sig",
                String(repeating: "x", count: 4000) + ":g:s", "\u{0}\u{7}:\u{1b}[31m:x",
            ]
            for token in garbage {
                let response = try await server.introspect(token, as: resourceServer)
                #expect(response.status == 200, "\(token.prefix(40))")
                expectNoStore(response)
                #expect(response.json == ["active": false], "\(token.prefix(40))")
            }
            // An authorization code names a grant too, but it is neither an access nor a refresh token.
            var components = URLComponents(url: server.server.url("/authorize"), resolvingAgainstBaseURL: false)!
            components.queryItems = [
                URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: app.client.clientID),
                URLQueryItem(name: "redirect_uri", value: IntrospectionServer.callback),
                URLQueryItem(name: "code_challenge", value: TokenCryptoVectors.s256(IntrospectionServer.verifier)),
                URLQueryItem(name: "code_challenge_method", value: "S256"),
            ]
            let authRequest = try await server.helpers.parseAuthRequest(Request(url: components.url!))
            let done = try await server.helpers.completeAuthorization(
                CompleteAuthorizationOptions(request: authRequest, userID: "bob", scope: [], props: [:])
            )
            let code = try #require(URLComponents(string: done.redirectTo)?.queryItems?.first { $0.name == "code" }?.value)
            #expect(try await server.introspect(code, as: resourceServer).json == ["active": false])
        }
    }

    @Test("the current refresh token is active (no props, whatever the caller); a rotated-out one is not")
    func refreshTokens() async throws {
        try await IntrospectionServer.with { server in
            let resourceServer = try await server.createClient(.clientSecretBasic)
            let app = try await server.createClient(.none)
            let issuedAt = server.clock.seconds
            let (access, rt0) = try await server.issue(app)
            let expected: JSONValue = [
                "active": true, "token_type": "refresh_token", "client_id": .string(app.client.clientID), "sub": "alice",
                "aud": .string(IntrospectionServer.resource), "iss": .string(server.issuer), "scope": "read write",
                "exp": .number(Double(issuedAt + 30 * 86_400)),
            ]
            for hint in [nil, "refresh_token", "access_token", "something_else"] {
                let response = try await server.introspect(rt0, as: resourceServer, extra: hint.map { [("token_type_hint", $0)] } ?? [])
                expectNoStore(response)
                #expect(response.json == expected, "hint \(hint ?? "none")")
            }
            // A wrong hint only changes the order of the lookups.
            #expect(try await server.introspect(access, as: resourceServer, extra: [("token_type_hint", "refresh_token")]).json?["token_type"] == "Bearer")

            server.clock.advance(by: 10)
            let rotated = try await server.token(app, [("grant_type", "refresh_token"), ("refresh_token", rt0)])
            #expect(rotated.status == 200)
            let rt1 = try #require(rotated.json?["refresh_token"]?.stringValue)
            // Still inside the reuse grace window, but no longer the grant's current token.
            #expect(try await server.introspect(rt0, as: resourceServer).json == ["active": false])
            #expect(try await server.introspect(rt1, as: resourceServer).json?["active"] == true)
            #expect(try await server.introspect(rt1, as: resourceServer).json?["props"] == nil)
        }
    }

    @Test("a refresh token of a grant that never expires has no exp; an expired grant's refresh token is inactive")
    func refreshTokenExpiry() async throws {
        try await IntrospectionServer.with(configure: { $0.refreshTokenTTL = .never }) { server in
            let resourceServer = try await server.createClient(.clientSecretBasic)
            let (_, refresh) = try await server.issue(try await server.createClient(.none))
            let json = try #require(try await server.introspect(refresh, as: resourceServer).json)
            #expect(json["active"] == true)
            #expect(json["exp"] == nil)
        }
        try await IntrospectionServer.with(configure: { $0.refreshTokenTTL = .seconds(600) }) { server in
            let resourceServer = try await server.createClient(.clientSecretBasic)
            let (_, refresh) = try await server.issue(try await server.createClient(.none))
            #expect(try await server.introspect(refresh, as: resourceServer).json?["exp"] == .number(Double(server.clock.seconds + 600)))
            server.clock.advance(by: 600)
            #expect(try await server.introspect(refresh, as: resourceServer).json == ["active": false])
        }
    }
}
