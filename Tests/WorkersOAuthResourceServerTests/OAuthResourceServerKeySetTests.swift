import Foundation
import HTTPTypes
import Testing
import WorkersOAuthResourceServer
import WorkersRuntime
import WorkersTesting

@Suite("OAuthResourceServer: the AS's key set (rotation, refetch limits, removed keys, outages)")
struct OAuthResourceServerKeySetTests {
    @Test("unknown kids cause at most one key set refetch per cooldown window, however many arrive")
    func unknownKidRefetchPerCooldown() async throws {
        let fixture = try await ResourceServerFixture.start()
        #expect(try await fixture.check(try await fixture.token()).admitted != nil)
        #expect(fixture.authorizationServer.jwksRequests == 1)

        func flood(_ count: Int) async throws -> Int {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let forged = try await fixture.authorizationServer.sign(.object(fixture.claims()), kid: "forged-\(index)")
                        return try await fixture.check(forged).denied?.status == .unauthorized ? 1 : 0
                    }
                }
                return try await group.reduce(0, +)
            }
        }

        // Within the window of the first fetch: no refetch.
        #expect(try await flood(30) == 30)
        #expect(fixture.authorizationServer.jwksRequests == 1)
        // A new window: exactly one refetch for the whole flood.
        fixture.clock.advance(by: 30)
        #expect(try await flood(30) == 30)
        #expect(try await flood(10) == 10)
        #expect(fixture.authorizationServer.jwksRequests == 2)
        fixture.clock.advance(by: 29)
        #expect(try await flood(10) == 10)
        #expect(fixture.authorizationServer.jwksRequests == 2)
        fixture.clock.advance(by: 1)
        #expect(try await flood(10) == 10)
        #expect(fixture.authorizationServer.jwksRequests == 3)
        try await fixture.stop()
    }

    @Test("a rotated-in key is found by one refetch on its unknown kid")
    func rotation() async throws {
        let fixture = try await ResourceServerFixture.start()
        #expect(try await fixture.check(try await fixture.token()).admitted != nil)
        let rotated = try await fixture.token(kid: "es-2")
        fixture.authorizationServer.publish(["es-1", "es-2", "rs-1"])
        fixture.clock.advance(by: 31)
        #expect(try await fixture.check(rotated).admitted != nil)
        #expect(fixture.authorizationServer.jwksRequests == 2)
        try await fixture.stop()
    }

    @Test("a key removed from the JWK Set stops its cached JWTs once the key set is refetched (TTL)")
    func removedKeyAfterTTL() async throws {
        let fixture = try await ResourceServerFixture.start()
        let token = try await fixture.token(kid: "rs-1", lifetime: 3600)
        #expect(try await fixture.check(token).admitted != nil)
        fixture.authorizationServer.publish(["es-1"])
        // Until the key set is refetched, the JWT stays valid (the documented delay).
        fixture.clock.advance(by: 299)
        #expect(try await fixture.check(token).admitted != nil)
        #expect(fixture.authorizationServer.jwksRequests == 1)
        fixture.clock.advance(by: 2)
        #expect(try await fixture.check(token).denied?.status == .unauthorized)
        #expect(fixture.authorizationServer.jwksRequests == 2)
        try await fixture.stop()
    }

    @Test("a refetch for another token's unknown kid drops the cached JWTs of a removed key at once")
    func removedKeyAfterRotationRefetch() async throws {
        let fixture = try await ResourceServerFixture.start()
        let old = try await fixture.token(kid: "rs-1", lifetime: 3600)
        #expect(try await fixture.check(old).admitted != nil)
        fixture.authorizationServer.publish(["es-1", "es-2"])
        fixture.clock.advance(by: 31)
        #expect(try await fixture.check(try await fixture.token(kid: "es-2")).admitted != nil)
        #expect(fixture.authorizationServer.jwksRequests == 2)
        #expect(try await fixture.check(old).denied?.status == .unauthorized)
        try await fixture.stop()
    }

    @Test("the AS down before any key set was fetched: 503 temporarily_unavailable, never admitted")
    func coldOutage() async throws {
        let fixture = try await ResourceServerFixture.start()
        let token = try await fixture.token()
        try await fixture.stop()
        let response = try #require(try await fixture.check(token).denied)
        #expect(response.status == .serviceUnavailable)
        #expect(response.header("Retry-After") == "5")
        #expect(try await response.json()["error"] == "temporarily_unavailable")
    }

    @Test("with the key set endpoint down, cached keys keep verifying new JWTs past the TTL")
    func warmOutage() async throws {
        let fixture = try await ResourceServerFixture.start()
        #expect(try await fixture.check(try await fixture.token()).admitted != nil)
        try await fixture.stop()
        fixture.clock.advance(by: 400)
        #expect(try await fixture.check(try await fixture.token()).admitted != nil)
        // An unknown kid is still an invalid token, not an outage.
        let forged = try await fixture.authorizationServer.sign(.object(fixture.claims()), kid: "es-9")
        #expect(try await fixture.check(forged).denied?.status == .unauthorized)
    }

    @Test("discovery checks the metadata's issuer: a mismatch is an outage (503), and its keys are never fetched")
    func discoveryIssuerMismatch() async throws {
        let fixture = try await ResourceServerFixture.start()
        fixture.authorizationServer.advertiseIssuer("https://evil.example.com")
        let decision = try await fixture.check(try await fixture.token())
        try await fixture.stop()
        #expect(decision.denied?.status == .serviceUnavailable)
        #expect(fixture.authorizationServer.metadataRequests == 1)
        #expect(fixture.authorizationServer.jwksRequests == 0)
    }
}
