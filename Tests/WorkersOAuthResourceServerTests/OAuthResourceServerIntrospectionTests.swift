import Foundation
import HTTPTypes
import Testing
import WorkersOAuthResourceServer
import WorkersRuntime
import WorkersTesting

@Suite("OAuthResourceServer: opaque tokens and props through the stand-in AS's introspection endpoint")
struct OAuthResourceServerIntrospectionTests {
    /// The contract's active answer for `token`'s grant.
    static func active(
        _ fixture: ResourceServerFixture, audience: String = ResourceServerFixture.resource, props: JSONValue? = nil,
        overrides: [String: JSONValue] = [:]
    ) -> JSONValue {
        var answer: [String: JSONValue] = [
            "active": true, "token_type": "Bearer", "client_id": "mcp-client", "sub": "ada", "aud": .string(audience),
            "iss": .string(fixture.authorizationServer.issuer), "scope": "notes:read",
            "exp": .number(Double(fixture.clock.seconds + 300)), "iat": .number(Double(fixture.clock.seconds)),
        ]
        if let props { answer["props"] = props }
        answer.merge(overrides) { $1 }
        return .object(answer)
    }

    @Test("an active opaque token is admitted with the answer's claims and props, and the answer is reused briefly")
    func activeOpaque() async throws {
        let fixture = try await ResourceServerFixture.start()
        let token = "ada:grant-1:opaque-secret"
        fixture.authorizationServer.introspection(of: token, answers: Self.active(fixture, props: ["login": "ada"]))
        let first = try await fixture.check(token)
        let second = try await fixture.check(token)
        #expect(fixture.authorizationServer.introspectionRequests == 1)
        fixture.clock.advance(by: 5)
        #expect(try await fixture.check(token).admitted != nil)
        #expect(fixture.authorizationServer.introspectionRequests == 2)
        try await fixture.stop()
        #expect(
            first.admitted
                == AccessTokenInfo(
                    clientID: "mcp-client", scopes: ["notes:read"], subject: "ada", resource: ResourceServerFixture.resource,
                    expiresAt: ResourceServerFixture.epoch + 300
                )
        )
        #expect(first.props == ["login": "ada"])
        #expect(second.admitted == first.admitted)
    }

    @Test("an introspection answer is never reused past the token's exp, even within the cache TTL")
    func cacheNeverOutlivesExpiry() async throws {
        let fixture = try await ResourceServerFixture.start()
        fixture.authorizationServer.introspection(
            of: "short-lived", answers: Self.active(fixture, overrides: ["exp": .number(Double(fixture.clock.seconds + 2))])
        )
        #expect(try await fixture.check("short-lived").admitted != nil)
        fixture.clock.advance(by: 1)
        #expect(try await fixture.check("short-lived").admitted != nil)
        #expect(fixture.authorizationServer.introspectionRequests == 1)
        fixture.clock.advance(by: 2)
        _ = try await fixture.check("short-lived")
        #expect(fixture.authorizationServer.introspectionRequests == 2)
        try await fixture.stop()
    }

    @Test("inactive, wrong-audience and wrong-issuer introspection answers are refused with 401 invalid_token")
    func refusedAnswers() async throws {
        let fixture = try await ResourceServerFixture.start()
        fixture.authorizationServer.introspection(of: "wrong-aud", answers: Self.active(fixture, audience: "https://other.example.com/mcp"))
        fixture.authorizationServer.introspection(of: "wrong-iss", answers: Self.active(fixture, overrides: ["iss": "https://evil.example.com"]))
        let expired = Self.active(fixture, overrides: ["exp": .number(Double(fixture.clock.seconds - 100))])
        fixture.authorizationServer.introspection(of: "expired", answers: expired)
        for token in ["unknown-token", "wrong-aud", "wrong-iss", "expired"] {
            let response = try #require(try await fixture.check(token).denied, "\(token) was admitted")
            #expect(response.status == .unauthorized)
            #expect(try await response.json()["error"] == "invalid_token")
        }
        #expect(fixture.authorizationServer.introspectionRequests == 4)
        try await fixture.stop()
    }

    @Test("without introspection credentials an opaque token is refused without asking the AS")
    func opaqueWithoutCredentials() async throws {
        let fixture = try await ResourceServerFixture.start(introspection: false)
        fixture.authorizationServer.introspection(of: "opaque", answers: Self.active(fixture))
        #expect(try await fixture.check("opaque").denied?.status == .unauthorized)
        #expect(fixture.authorizationServer.introspectionRequests == 0)
        try await fixture.stop()
    }

    @Test("introspection unreachable: 503 temporarily_unavailable, never admitted")
    func introspectionDown() async throws {
        let fixture = try await ResourceServerFixture.start(discover: false)
        try await fixture.stop()
        let response = try #require(try await fixture.check("opaque-token").denied)
        #expect(response.status == .serviceUnavailable)
        #expect(try await response.json()["error"] == "temporarily_unavailable")
    }

    @Test("wrong introspection credentials (the AS answers 401 invalid_client) are an outage: 503, not admitted")
    func wrongCredentials() async throws {
        let fixture = try await ResourceServerFixture.start { $0.clientSecret = "wrong" }
        fixture.authorizationServer.introspection(of: "opaque", answers: Self.active(fixture))
        #expect(try await fixture.check("opaque").denied?.status == .serviceUnavailable)
        #expect(fixture.authorizationServer.introspectionRequests == 1)
        try await fixture.stop()
    }

    @Test("propsSource .introspection: a JWT is verified offline, then introspected once (cached) for its props")
    func propsForJWT() async throws {
        let fixture = try await ResourceServerFixture.start { $0.propsSource = .introspection }
        let token = try await fixture.token()
        fixture.authorizationServer.introspection(of: token, answers: Self.active(fixture, props: ["login": "ada", "uid": 7]))
        let first = try await fixture.check(token)
        let second = try await fixture.check(token)
        #expect(first.props == ["login": "ada", "uid": 7])
        #expect(first.admitted?.scopes == ["notes:read", "notes:write"])
        #expect(second.props == first.props)
        #expect(fixture.authorizationServer.introspectionRequests == 1)
        // Revoked at the AS: refused once the cached answer runs out.
        fixture.authorizationServer.introspection(of: token, answers: ["active": false])
        fixture.clock.advance(by: 5)
        #expect(try await fixture.check(token).denied?.status == .unauthorized)
        try await fixture.stop()
    }

    @Test("propsSource .introspection without credentials is a configuration error")
    func propsNeedCredentials() throws {
        let configuration = OAuthResourceServer.Configuration(
            resource: ResourceServerFixture.resource, issuer: "https://as.example.com", propsSource: .introspection
        )
        #expect(throws: OAuthResourceServerConfigurationError.self) { try OAuthResourceServer(configuration: configuration) }
        #expect(throws: OAuthResourceServerConfigurationError.self) {
            try OAuthResourceServer(configuration: .init(resource: "http://notes.example.com/mcp", issuer: "https://as.example.com"))
        }
    }
}
