import Crypto
import Foundation
import HTTPTypes
import JWTKit
import NIOHTTP1
import Testing
import WorkersAccess
import WorkersRuntime
import WorkersServer
import WorkersTesting

@Suite("AccessAssertionGuard: validating proxy assertions against a live JWK Set server")
struct AccessAssertionGuardTests {
    static let rsaSet = TestKeys.jwks([TestKeys.jwk(rsa: TestKeys.rsa, kid: "rsa-1")])

    /// Checks `assertion` with a fresh guard over a fresh key set server serving `jwks`.
    private func decide(_ assertion: String, jwks: JSONValue = rsaSet) async throws -> GuardDecision {
        let server = try await JWKSServer.start(serving: jwks)
        let accessGuard = try AccessFixture.makeGuard(server, clock: TestClock(AccessFixture.epochDate))
        let decision = try await accessGuard.check(AccessFixture.request(assertion: assertion), env: Env())
        try await server.stop()
        return decision
    }

    /// Expects a 403 with the fixed, uninformative body.
    private func expectForbidden(_ decision: GuardDecision, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try #require(decision.deniedResponse, sourceLocation: sourceLocation)
        #expect(response.status == .forbidden, sourceLocation: sourceLocation)
        let body = try JSONValue(parsing: Data(try await response.body.text().utf8))
        #expect(body == ["error": "forbidden", "error_description": "Invalid access assertion"], sourceLocation: sourceLocation)
    }

    @Test("a valid RS256 assertion is admitted and its identity lands in props")
    func validRS256() async throws {
        let decision = try await decide(try await AccessFixture.sign())
        let props = try #require(decision.allowedProps)
        #expect(
            props == [
                "method": "access_assertion",
                "iss": .string(AccessFixture.issuer),
                "email": "ada@example.com",
                "sub": "7335d417-61da-459d-899c-0a01c76a2f94",
                "type": "app",
                "identity_nonce": "6ei69kawdKzMIAPF",
            ]
        )
    }

    @Test("a valid ES256 assertion is admitted (P-256 key published without alg)")
    func validES256() async throws {
        let jwks = TestKeys.jwks([TestKeys.jwk(ec: TestKeys.ec, kid: "ec-1")])
        let decision = try await decide(try await AccessFixture.sign(ec: TestKeys.ec, kid: "ec-1"), jwks: jwks)
        #expect(decision.allowedProps??["email"] == "ada@example.com")
    }

    @Test("aud may be a string or an array; it must name a configured audience")
    func audience() async throws {
        var claims = TestClaims()
        claims.aud = .string(AccessFixture.audience)
        #expect(try await decide(try await AccessFixture.sign(claims)).allowedProps != nil)
        claims.aud = ["other-app", .string(AccessFixture.audience)]
        #expect(try await decide(try await AccessFixture.sign(claims)).allowedProps != nil)
        claims.aud = ["other-app"]
        try await expectForbidden(try await decide(try await AccessFixture.sign(claims)))
        claims.aud = nil
        try await expectForbidden(try await decide(try await AccessFixture.sign(claims)))
    }

    @Test("a wrong or missing issuer is rejected")
    func wrongIssuer() async throws {
        var claims = TestClaims()
        claims.iss = "https://otherteam.cloudflareaccess.com"
        try await expectForbidden(try await decide(try await AccessFixture.sign(claims)))
        claims.iss = nil
        try await expectForbidden(try await decide(try await AccessFixture.sign(claims)))
    }

    @Test("an expired assertion is rejected beyond the 60 s skew, accepted within it; exp is required")
    func expired() async throws {
        var claims = TestClaims()
        claims.exp = AccessFixture.epoch - 61
        try await expectForbidden(try await decide(try await AccessFixture.sign(claims)))
        claims.exp = AccessFixture.epoch - 30
        #expect(try await decide(try await AccessFixture.sign(claims)).allowedProps != nil)
        claims.exp = nil
        try await expectForbidden(try await decide(try await AccessFixture.sign(claims)))
    }

    @Test("an assertion not yet valid (nbf) or issued in the future (iat) is rejected beyond the skew")
    func notYetValid() async throws {
        var claims = TestClaims()
        claims.nbf = AccessFixture.epoch + 120
        try await expectForbidden(try await decide(try await AccessFixture.sign(claims)))
        claims.nbf = AccessFixture.epoch + 30
        #expect(try await decide(try await AccessFixture.sign(claims)).allowedProps != nil)
        claims = TestClaims()
        claims.iat = AccessFixture.epoch + 120
        try await expectForbidden(try await decide(try await AccessFixture.sign(claims)))
    }

    @Test("a signature by another key under a known kid is rejected")
    func badSignature() async throws {
        try await expectForbidden(try await decide(try await AccessFixture.sign(rsa: TestKeys.rsaNext, kid: "rsa-1")))
        var tampered = try await AccessFixture.sign().split(separator: ".").map(String.init)
        var payload = try JSONValue(parsing: try #require(Data(base64URLEncoded: tampered[1])))
        if case .object(var fields) = payload { fields["email"] = "mallory@example.com"; payload = .object(fields) }
        tampered[1] = try payload.jsonData().base64URLEncodedString()
        try await expectForbidden(try await decide(tampered.joined(separator: ".")))
    }

    @Test("alg none is rejected, with or without a signature segment")
    func algNone() async throws {
        let header = Data(#"{"alg":"none","kid":"rsa-1","typ":"JWT"}"#.utf8).base64URLEncodedString()
        let payload = try JSONValue(encoding: TestClaims()).jsonData().base64URLEncodedString()
        try await expectForbidden(try await decide("\(header).\(payload)."))
        try await expectForbidden(try await decide("\(header).\(payload).c2ln"))
        #expect(AccessAssertionGuard.Algorithm(name: "none") == nil)
    }

    @Test("HS256 signed with the RSA public key as the HMAC secret is rejected (algorithm confusion)")
    func hmacWithPublicKey() async throws {
        let forger = await JWTKeyCollection().add(
            hmac: HMACKey(from: TestKeys.rsa.publicKey.pemRepresentation),
            digestAlgorithm: .sha256,
            kid: "rsa-1"
        )
        let forged = try await forger.sign(TestClaims(), kid: "rsa-1")
        // The forgery is well-formed: a verifier that trusted the header's alg would accept it.
        let naive = await JWTKeyCollection().add(
            hmac: HMACKey(from: TestKeys.rsa.publicKey.pemRepresentation), digestAlgorithm: .sha256, kid: "rsa-1")
        _ = try await naive.verify(forged, as: TestClaims.self)
        try await expectForbidden(try await decide(forged))
        #expect(AccessAssertionGuard.Algorithm(name: "HS256") == nil)
    }

    @Test("an allowed alg that does not match the key's type is rejected")
    func algorithmKeyMismatch() async throws {
        let jwks = TestKeys.jwks([TestKeys.jwk(rsa: TestKeys.rsa, kid: "rsa-1"), TestKeys.jwk(ec: TestKeys.ec, kid: "ec-1")])
        try await expectForbidden(try await decide(try await AccessFixture.sign(ec: TestKeys.ec, kid: "rsa-1"), jwks: jwks))
    }

    @Test("malformed assertions and assertions without kid are rejected with 403")
    func malformed() async throws {
        try await expectForbidden(try await decide("not-a-jwt"))
        try await expectForbidden(try await decide("a.b.c.d"))
        let keys = await JWTKeyCollection().add(rsa: TestKeys.rsa, digestAlgorithm: .sha256)
        try await expectForbidden(try await decide(try await keys.sign(TestClaims())))
    }

    @Test("no assertion at all gets 401 with a JSON error")
    func missing() async throws {
        let server = try await JWKSServer.start(serving: Self.rsaSet)
        let accessGuard = try AccessFixture.makeGuard(server, clock: TestClock(AccessFixture.epochDate))
        let decision = try await accessGuard.check(AccessFixture.request(assertion: nil), env: Env())
        let emptyHeader = try await accessGuard.check(AccessFixture.request(assertion: " "), env: Env())
        try await server.stop()
        for response in [decision.deniedResponse, emptyHeader.deniedResponse] {
            let denied = try #require(response)
            #expect(denied.status == .unauthorized)
            #expect(denied.headers[.cacheControl] == "no-store")
            let body = try JSONValue(parsing: Data(try await denied.body.text().utf8))
            #expect(body == ["error": "unauthorized", "error_description": "Missing access assertion"])
        }
        #expect(server.requestCount == 0)
    }

    @Test("a service token's identity (common_name) is handed on; empty sub and absent email are left out")
    func serviceToken() async throws {
        var claims = TestClaims()
        claims.email = nil
        claims.sub = ""
        claims.commonName = "88bf3b6d86161464f6509f7219099e57.access"
        claims.identityNonce = nil
        let props = try #require(try await decide(try await AccessFixture.sign(claims)).allowedProps)
        #expect(
            props == [
                "method": "access_assertion",
                "iss": .string(AccessFixture.issuer),
                "common_name": "88bf3b6d86161464f6509f7219099e57.access",
                "type": "app",
            ]
        )
    }

    @Test("a custom header name serves other proxies; keys fetched through env.fetcher by default")
    func customHeaderAndEnvFetcher() async throws {
        let server = try await JWKSServer.start(serving: Self.rsaSet)
        let configuration = AccessAssertionGuard.Configuration(
            jwksURL: server.url,
            issuer: AccessFixture.issuer,
            audiences: ["other", AccessFixture.audience],
            headerName: "X-Pomerium-Jwt-Assertion",
            cookieName: nil
        )
        let accessGuard = try AccessAssertionGuard(configuration: configuration, now: { AccessFixture.epochDate })
        let env = Env(fetcher: HTTPClientFetcher())
        let token = try await AccessFixture.sign()
        let admitted = try await accessGuard.check(
            AccessFixture.request(assertion: token, header: "X-Pomerium-Jwt-Assertion"), env: env)
        let wrongHeader = try await accessGuard.check(AccessFixture.request(assertion: token), env: env)
        try await server.stop()
        #expect(admitted.allowedProps != nil)
        #expect(wrongHeader.deniedResponse?.status == .unauthorized)
        #expect(server.requestCount == 1)
    }

    @Test("with headerName Authorization (oauth2-proxy), the token comes from the Bearer credential")
    func authorizationHeader() async throws {
        let server = try await JWKSServer.start(serving: Self.rsaSet)
        let configuration = AccessAssertionGuard.Configuration(
            jwksURL: server.url,
            issuer: AccessFixture.issuer,
            audiences: [AccessFixture.audience],
            headerName: "Authorization",
            cookieName: nil
        )
        let accessGuard = try AccessAssertionGuard(
            configuration: configuration, fetcher: HTTPClientFetcher(), now: { AccessFixture.epochDate })
        let token = try await AccessFixture.sign()
        let bearer = try await accessGuard.check(
            AccessFixture.request(assertion: "bearer \(token)", header: "Authorization"), env: Env())
        let bare = try await accessGuard.check(AccessFixture.request(assertion: token, header: "Authorization"), env: Env())
        try await server.stop()
        #expect(bearer.allowedProps != nil)
        #expect(bare.deniedResponse?.status == .unauthorized)
    }

    @Test("end to end: the CF_Authorization cookie is the fallback; the handler sees the identity in ctx.props")
    func cookieFallbackOverRealSockets() async throws {
        let keyServer = try await JWKSServer.start(serving: Self.rsaSet)
        let handler = FetchHandler { _, _, ctx in
            Response.text("hello \(ctx.props?["email"]?.stringValue ?? "-")")
        }
        let withCookie = try AccessFixture.makeGuard(keyServer, clock: TestClock(AccessFixture.epochDate))
        let headerOnly = try AccessFixture.makeGuard(keyServer, clock: TestClock(AccessFixture.epochDate), cookieName: nil)
        let app = try await LiveServer.start(
            worker: Worker { request, env, ctx in
                let protected = request.path == "/strict" ? handler.guarded(by: headerOnly) : handler.guarded(by: withCookie)
                return try await protected.fetch(request, env: env, ctx: ctx)
            }
        )
        let client = TestClient()
        let token = try await AccessFixture.sign()
        let byCookie = try await client.send(.get, app.url("/mcp"), headers: [("Cookie", "theme=dark; CF_Authorization=\(token)")])
        let byHeader = try await client.send(.get, app.url("/strict"), headers: [("Cf-Access-Jwt-Assertion", token)])
        let cookieRefused = try await client.send(.get, app.url("/strict"), headers: [("Cookie", "CF_Authorization=\(token)")])
        let forgedCookie = try await client.send(.get, app.url("/mcp"), headers: [("Cookie", "CF_Authorization=x.y.z")])
        let nothing = try await client.send(.get, app.url("/mcp"))
        try await app.stop()
        try await keyServer.stop()

        #expect(byCookie.status == 200)
        #expect(byCookie.text == "hello ada@example.com")
        #expect(byHeader.status == 200)
        #expect(cookieRefused.status == 401)
        #expect(forgedCookie.status == 403)
        #expect(nothing.status == 401)
        #expect(nothing.header("content-type") == "application/json")
        #expect(nothing.json?["error"] == "unauthorized")
    }
}
