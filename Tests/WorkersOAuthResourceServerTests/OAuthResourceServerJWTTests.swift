import Crypto
import Foundation
import HTTPTypes
import Testing
import WorkersOAuthResourceServer
import WorkersRuntime
import WorkersTesting

@Suite("OAuthResourceServer: JWT access tokens verified offline against the stand-in AS's keys")
struct OAuthResourceServerJWTTests {
    @Test("a valid ES256 JWT is admitted with its client, scopes, subject, resource and expiry; no props")
    func validES256() async throws {
        let fixture = try await ResourceServerFixture.start()
        let decision = try await fixture.check(try await fixture.token())
        try await fixture.stop()
        let token = try #require(decision.admitted, "\(String(describing: decision.denied?.status))")
        #expect(
            token
                == AccessTokenInfo(
                    clientID: "mcp-client", scopes: ["notes:read", "notes:write"], subject: "ada",
                    resource: ResourceServerFixture.resource, expiresAt: ResourceServerFixture.epoch + 300
                )
        )
        #expect(decision.props == nil)
        // Discovery once, the key set once; no introspection for a JWT without props.
        #expect(fixture.authorizationServer.metadataRequests == 1)
        #expect(fixture.authorizationServer.jwksRequests == 1)
        #expect(fixture.authorizationServer.introspectionRequests == 0)
    }

    @Test("an RS256 JWT, and one whose aud is an array naming the resource, are admitted")
    func rs256AndAudienceArray() async throws {
        let fixture = try await ResourceServerFixture.start(discover: false)
        var claims = fixture.claims()
        claims["aud"] = ["https://other.example.com", .string(ResourceServerFixture.resource)]
        let rsa = try await fixture.check(try await fixture.token(kid: "rs-1"))
        let array = try await fixture.check(try await fixture.authorizationServer.sign(.object(claims)))
        try await fixture.stop()
        #expect(rsa.admitted?.subject == "ada")
        #expect(array.admitted?.clientID == "mcp-client")
        #expect(fixture.authorizationServer.metadataRequests == 0)
    }

    @Test("forged and invalid JWTs are refused with 401 invalid_token", arguments: Forgery.allCases)
    func forged(_ forgery: Forgery) async throws {
        let fixture = try await ResourceServerFixture.start(introspection: false)
        let token = try await forgery.make(fixture)
        let decision = try await fixture.check(token)
        try await fixture.stop()
        let response = try #require(decision.denied, "\(forgery) was admitted")
        #expect(response.status == .unauthorized)
        #expect(response.header("WWW-Authenticate")?.contains("error=\"invalid_token\"") == true)
        #expect(try await response.json()["error"] == "invalid_token")
    }

    @Test("a repeated JWT is served from the verified cache: no further key set or metadata fetches")
    func repeatedCallsAreCached() async throws {
        let fixture = try await ResourceServerFixture.start()
        let token = try await fixture.token()
        for _ in 0..<20 { #expect(try await fixture.check(token).admitted != nil) }
        try await fixture.stop()
        // Served from memory with the AS gone, as long as the key set is fresh.
        #expect(try await fixture.check(token).admitted != nil)
        #expect(fixture.authorizationServer.jwksRequests == 1)
        #expect(fixture.authorizationServer.metadataRequests == 1)
    }

    @Test("a cached JWT is refused once it expires (past the clock skew)")
    func cachedTokenExpires() async throws {
        let fixture = try await ResourceServerFixture.start()
        let token = try await fixture.token(lifetime: 100)
        #expect(try await fixture.check(token).admitted != nil)
        fixture.clock.advance(by: 100 + 59)
        #expect(try await fixture.check(token).admitted != nil)
        fixture.clock.advance(by: 2)
        #expect(try await fixture.check(token).denied?.status == .unauthorized)
        try await fixture.stop()
    }
}

/// The ways a JWT can be wrong.
enum Forgery: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case algNone, hs256WithPublicKey, wrongAudience, wrongIssuer, expired, issuedInFuture, unknownKid, wrongTyp,
        tamperedPayload, missingSubject, missingClientID, missingExp, unsignedGarbage

    var testDescription: String { rawValue }

    func make(_ fixture: ResourceServerFixture) async throws -> String {
        let authorizationServer = fixture.authorizationServer
        var claims = fixture.claims()
        switch self {
        case .algNone:
            return try Self.compact(header: ["alg": "none", "typ": "at+jwt", "kid": "es-1"], claims: claims, signature: Data("x".utf8))
        case .hs256WithPublicKey:
            // The classic confusion: the public JWK's bytes used as an HMAC secret.
            let header: JSONValue = ["alg": "HS256", "typ": "at+jwt", "kid": "es-1"]
            let signingInput = try Self.segment(header) + "." + Self.segment(.object(claims))
            let secret = SymmetricKey(data: Data(try await Self.publicJWK(authorizationServer).utf8))
            let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: secret)
            return signingInput + "." + base64URL(Data(mac))
        case .wrongAudience: claims["aud"] = "https://other.example.com/mcp"
        case .wrongIssuer: claims["iss"] = "https://evil.example.com"
        case .expired: claims["exp"] = .number(Double(fixture.clock.seconds - 61))
        case .issuedInFuture: claims["iat"] = .number(Double(fixture.clock.seconds + 120))
        case .unknownKid: return try await authorizationServer.sign(.object(claims), kid: "es-9")
        case .wrongTyp: return try await authorizationServer.sign(.object(claims), typ: "JWT")
        case .tamperedPayload:
            let parts = try await fixture.token().split(separator: ".").map(String.init)
            claims["sub"] = "eve"
            return parts[0] + "." + (try Self.segment(.object(claims))) + "." + parts[2]
        case .missingSubject: claims["sub"] = nil
        case .missingClientID: claims["client_id"] = nil
        case .missingExp: claims["exp"] = nil
        case .unsignedGarbage: return "eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln"
        }
        return try await authorizationServer.sign(.object(claims))
    }

    static func segment(_ value: JSONValue) throws -> String { base64URL(try value.jsonData()) }

    static func compact(header: JSONValue, claims: [String: JSONValue], signature: Data) throws -> String {
        try segment(header) + "." + segment(.object(claims)) + "." + base64URL(signature)
    }

    /// The key set's `es-1` entry as served.
    static func publicJWK(_ authorizationServer: StandInAuthorizationServer) async throws -> String {
        let response = try await TestClient().send(.get, authorizationServer.jwksURL)
        return response.json?["keys"]?.arrayValue?.first?.jsonString ?? ""
    }
}
