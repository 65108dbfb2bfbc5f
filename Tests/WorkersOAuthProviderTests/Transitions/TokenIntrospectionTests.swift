import Foundation
import Testing
import WorkersRuntime

@testable import WorkersOAuthProvider

/// ``TokenIntrospection`` without any KV: which records make a token active, and what it then claims.
@Suite("Token introspection (pure)")
struct TokenIntrospectionTests {
    typealias F = TransitionFixtures

    @Test("an access token's claims come from its record; props only when asked; inactive at expiry or with another key")
    func accessToken() throws {
        let (_, record, secrets) = try F.exchanged()
        let claims = try #require(TokenIntrospection.accessToken(record, token: secrets.accessToken, now: F.now, withProps: false))
        #expect(
            claims
                == IntrospectedToken(
                    tokenType: "Bearer", clientID: "client-1", subject: "alice", audience: record.audience, scope: ["read", "write"],
                    expiresAt: record.expiresAt, issuedAt: F.now
                )
        )
        let withProps = TokenIntrospection.accessToken(record, token: secrets.accessToken, now: F.now, withProps: true)
        #expect(withProps?.props == ["login": "alice"])
        #expect(TokenIntrospection.accessToken(record, token: secrets.accessToken, now: record.expiresAt - 1, withProps: false) != nil)
        #expect(TokenIntrospection.accessToken(record, token: secrets.accessToken, now: record.expiresAt, withProps: false) == nil)
        #expect(TokenIntrospection.accessToken(nil, token: secrets.accessToken, now: F.now, withProps: false) == nil)
        // A record whose key the presented token does not unwrap (not the token it was stored for).
        #expect(TokenIntrospection.accessToken(record, token: secrets.refreshToken, now: F.now, withProps: false) == nil)
    }

    @Test("a refresh token is active only as its grant's current one, until the grant expires; never props")
    func refreshToken() throws {
        let (grant, _, secrets) = try F.exchanged()
        let claims = try #require(TokenIntrospection.refreshToken(secrets.refreshToken, grant: grant, now: F.now))
        #expect(claims.tokenType == "refresh_token")
        #expect(claims.clientID == "client-1")
        #expect(claims.subject == "alice")
        #expect(claims.expiresAt == grant.expiresAt)
        #expect(claims.issuedAt == nil)
        #expect(claims.props == nil)
        #expect(TokenIntrospection.refreshToken(secrets.accessToken, grant: grant, now: F.now) == nil)
        #expect(TokenIntrospection.refreshToken(secrets.refreshToken, grant: nil, now: F.now) == nil)

        var rotated = grant
        rotated.rotateRefreshToken(
            presentedID: TokenCrypto.hash(secrets.refreshToken), presentedWrappedKey: grant.refreshTokenWrappedKey ?? "",
            standing: .current, newTokenID: TokenCrypto.hash("alice:g1:next"), newWrappedKey: "", now: F.now
        )
        #expect(TokenIntrospection.refreshToken(secrets.refreshToken, grant: rotated, now: F.now) == nil)
        #expect(TokenIntrospection.refreshToken("alice:g1:next", grant: rotated, now: F.now) != nil)

        let expiry = try #require(grant.expiresAt)
        #expect(TokenIntrospection.refreshToken(secrets.refreshToken, grant: grant, now: expiry) == nil)
        var endless = grant
        endless.expiresAt = nil
        #expect(TokenIntrospection.refreshToken(secrets.refreshToken, grant: endless, now: expiry + 1)?.expiresAt == nil)
    }

    @Test("the response body: inactive is {active:false}; scope joined, and omitted when empty")
    func responseBody() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(String(decoding: try encoder.encode(IntrospectionResponseBody.inactive), as: UTF8.self) == #"{"active":false}"#)
        let token = IntrospectedToken(
            tokenType: "Bearer", clientID: "c", subject: "alice", audience: ResourceList(["https://a/mcp", "https://b/mcp"]), scope: [],
            expiresAt: 20, issuedAt: 10
        )
        #expect(
            String(decoding: try encoder.encode(IntrospectionResponseBody(token, issuer: "https://as")), as: UTF8.self)
                == #"{"active":true,"aud":["https://a/mcp","https://b/mcp"],"client_id":"c","exp":20,"iat":10,"iss":"https://as","sub":"alice","token_type":"Bearer"}"#
        )
    }
}
