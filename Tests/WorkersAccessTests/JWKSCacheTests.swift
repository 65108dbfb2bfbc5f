import Foundation
import HTTPTypes
import JWTKit
import Testing
import WorkersAccess
import WorkersRuntime
import WorkersServer
import WorkersTesting

@Suite("AccessAssertionGuard key set cache: rotation, refresh limits, outages")
struct JWKSCacheTests {
    static let rsa1 = TestKeys.jwk(rsa: TestKeys.rsa, kid: "rsa-1")
    static let rsa2 = TestKeys.jwk(rsa: TestKeys.rsaNext, kid: "rsa-2")

    private func check(_ accessGuard: AccessAssertionGuard, _ assertion: String) async throws -> GuardDecision {
        try await accessGuard.check(AccessFixture.request(assertion: assertion), env: Env())
    }

    @Test("an unknown kid is rejected until the new key is served, then admitted after one refetch")
    func rotation() async throws {
        let server = try await JWKSServer.start(serving: TestKeys.jwks([Self.rsa1]))
        let clock = TestClock(AccessFixture.epochDate)
        let accessGuard = try AccessFixture.makeGuard(server, clock: clock)
        let rotated = try await AccessFixture.sign(rsa: TestKeys.rsaNext, kid: "rsa-2")

        #expect(try await check(accessGuard, try await AccessFixture.sign()).allowedProps != nil)
        #expect(server.requestCount == 1)
        clock.advance(by: 31)
        #expect(try await check(accessGuard, rotated).deniedResponse?.status == .forbidden)
        #expect(server.requestCount == 2)

        server.serve(TestKeys.jwks([Self.rsa1, Self.rsa2]))
        clock.advance(by: 31)
        #expect(try await check(accessGuard, rotated).allowedProps != nil)
        #expect(server.requestCount == 3)
        #expect(try await check(accessGuard, rotated).allowedProps != nil)
        #expect(try await check(accessGuard, try await AccessFixture.sign()).allowedProps != nil)
        #expect(server.requestCount == 3)
        try await server.stop()
    }

    @Test("a flood of forged kids causes at most one refetch per 30 s window")
    func unknownKidFlood() async throws {
        let server = try await JWKSServer.start(serving: TestKeys.jwks([Self.rsa1]))
        let clock = TestClock(AccessFixture.epochDate)
        let accessGuard = try AccessFixture.makeGuard(server, clock: clock)
        #expect(try await check(accessGuard, try await AccessFixture.sign()).allowedProps != nil)
        #expect(server.requestCount == 1)

        func flood(_ count: Int) async throws -> Int {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let forged = try await AccessFixture.sign(kid: "forged-\(index)")
                        let response = try await check(accessGuard, forged).deniedResponse
                        return response?.status == .forbidden ? 1 : 0
                    }
                }
                return try await group.reduce(0, +)
            }
        }

        // Within the window of the first fetch: no refetch at all.
        #expect(try await flood(50) == 50)
        #expect(server.requestCount == 1)
        // A new window: exactly one refetch, however many forged kids arrive, concurrently or after.
        clock.advance(by: 30)
        #expect(try await flood(50) == 50)
        #expect(try await flood(50) == 50)
        #expect(server.requestCount == 2)
        clock.advance(by: 29)
        #expect(try await flood(20) == 20)
        #expect(server.requestCount == 2)
        clock.advance(by: 1)
        #expect(try await flood(20) == 20)
        #expect(server.requestCount == 3)
        // Valid assertions keep working from the cache throughout.
        #expect(try await check(accessGuard, try await AccessFixture.sign()).allowedProps != nil)
        #expect(server.requestCount == 3)
        try await server.stop()
    }

    @Test("with the key set server down, a warm cache keeps validating past the TTL")
    func outageWithWarmCache() async throws {
        let server = try await JWKSServer.start(serving: TestKeys.jwks([Self.rsa1]))
        let clock = TestClock(AccessFixture.epochDate)
        let accessGuard = try AccessFixture.makeGuard(server, clock: clock)
        #expect(try await check(accessGuard, try await AccessFixture.sign()).allowedProps != nil)
        try await server.stop()

        // Past the 10-minute TTL: the refetch fails (connection refused) and the cached key still serves.
        clock.advance(by: 601)
        var claims = TestClaims()
        claims.exp = AccessFixture.epoch + 3600
        claims.iat = AccessFixture.epoch + 600
        #expect(try await check(accessGuard, try await AccessFixture.sign(claims)).allowedProps != nil)
        // An unknown kid is an invalid assertion, not an outage.
        #expect(try await check(accessGuard, try await AccessFixture.sign(claims, kid: "rsa-9")).deniedResponse?.status == .forbidden)
        #expect(server.requestCount == 1)
    }

    @Test("with no key set ever fetched, requests get 503 temporarily_unavailable")
    func coldOutage() async throws {
        let server = try await JWKSServer.start(serving: TestKeys.jwks([Self.rsa1]))
        let clock = TestClock(AccessFixture.epochDate)
        let accessGuard = try AccessFixture.makeGuard(server, clock: clock)
        try await server.stop()
        let response = try #require(try await check(accessGuard, try await AccessFixture.sign()).deniedResponse)
        #expect(response.status == .serviceUnavailable)
        let body = try JSONValue(parsing: Data(try await response.body.text().utf8))
        #expect(body["error"] == "temporarily_unavailable")
    }

    @Test("concurrent requests on a cold cache share one fetch")
    func singleFlight() async throws {
        let server = try await JWKSServer.start(serving: TestKeys.jwks([Self.rsa1]))
        let accessGuard = try AccessFixture.makeGuard(server, clock: TestClock(AccessFixture.epochDate))
        let token = try await AccessFixture.sign()
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask { try await check(accessGuard, token).allowedProps != nil }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 20)
        #expect(server.requestCount == 1)
        try await server.stop()
    }

    @Test("a key removed from the set stops validating after the TTL refresh")
    func revokedKeyDropsAfterTTL() async throws {
        let server = try await JWKSServer.start(serving: TestKeys.jwks([Self.rsa1, Self.rsa2]))
        let clock = TestClock(AccessFixture.epochDate)
        let accessGuard = try AccessFixture.makeGuard(server, clock: clock)
        var claims = TestClaims()
        claims.exp = AccessFixture.epoch + 3600
        let old = try await AccessFixture.sign(claims)
        #expect(try await check(accessGuard, old).allowedProps != nil)
        server.serve(TestKeys.jwks([Self.rsa2]))
        clock.advance(by: 300)
        #expect(try await check(accessGuard, old).allowedProps != nil)
        clock.advance(by: 301)
        #expect(try await check(accessGuard, old).deniedResponse?.status == .forbidden)
        #expect(server.requestCount == 2)
        try await server.stop()
    }

    @Test("unusable keys in the set (symmetric, encryption, unknown type, malformed) are skipped, not fatal")
    func lenientKeySet() async throws {
        let jwks = TestKeys.jwks([
            ["kty": "oct", "kid": "hmac", "k": "c2VjcmV0"],
            ["kty": "RSA", "kid": "enc", "use": "enc", "n": "AQAB", "e": "AQAB"],
            ["kty": "OKP", "kid": "ed", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"],
            ["kty": "RSA", "kid": "broken"],
            Self.rsa1,
        ])
        let server = try await JWKSServer.start(serving: jwks)
        let accessGuard = try AccessFixture.makeGuard(server, clock: TestClock(AccessFixture.epochDate))
        #expect(try await check(accessGuard, try await AccessFixture.sign()).allowedProps != nil)
        try await server.stop()
    }
}
