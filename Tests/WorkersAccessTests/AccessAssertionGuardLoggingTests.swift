import Foundation
import HTTPTypes
import Testing
import WorkersAccess
import WorkersRuntime
import WorkersServer
import WorkersTesting

@Suite("AccessAssertionGuard: token content cannot forge log lines (CWE-117)")
struct AccessAssertionGuardLoggingTests {
    /// What an attacker appends to a token field to fake a line of its own.
    static let forgedLine = "\n2026-12-01T00:00:00+0000 critical workers: [WorkersAccess] access granted to admin\r\u{1B}[1A"

    /// Checks `assertion` with a guard logging to a recorder, against a key set server serving `jwks`; expects a 403.
    private func logsOfRejecting(_ assertion: String, jwks: JSONValue) async throws -> [LogRecorder.Entry] {
        let server = try await JWKSServer.start(serving: jwks)
        let logs = LogRecorder()
        let clock = TestClock(AccessFixture.epochDate)
        let accessGuard = try AccessAssertionGuard(
            configuration: .init(jwksURL: server.url, issuer: AccessFixture.issuer, audiences: [AccessFixture.audience]),
            fetcher: HTTPClientFetcher(timeout: .seconds(15)),
            now: { clock.now },
            logger: logs.logger()
        )
        let decision = try await accessGuard.check(AccessFixture.request(assertion: assertion), env: Env())
        try await server.stop()
        #expect(decision.deniedResponse?.status == .forbidden)
        return logs.entries
    }

    /// No message or metadata value holds a raw line break, carriage return or escape character.
    private func expectNoRawControlCharacters(_ entries: [LogRecorder.Entry], sourceLocation: SourceLocation = #_sourceLocation) {
        for entry in entries {
            for text in [entry.message] + entry.metadata.keys + entry.metadata.values {
                let raw = text.unicodeScalars.filter { $0 == "\n" || $0 == "\r" || $0 == "\u{1B}" }
                #expect(raw.isEmpty, "raw control characters in \(entry)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a kid with a forged line in the token header, or in the key set, is logged escaped")
    func forgedKid() async throws {
        // An encryption key is skipped, and its kid logged.
        var unusable = try #require(TestKeys.jwk(rsa: TestKeys.rsaNext, kid: "enc-1" + Self.forgedLine).objectValue)
        unusable["use"] = "enc"
        let jwks = TestKeys.jwks([TestKeys.jwk(rsa: TestKeys.rsa, kid: "rsa-1"), .object(unusable)])
        let entries = try await logsOfRejecting(try await AccessFixture.sign(kid: "rsa-1" + Self.forgedLine), jwks: jwks)
        let rejected = try #require(entries.first { $0.message == "Access assertion rejected" })
        #expect(rejected.metadata["reason"]?.hasPrefix(#"unknown kid rsa-1\n2026-12-01T00:00:00+0000 critical"#) == true)
        #expect(rejected.metadata["reason"]?.contains(#"\r\u{1B}[1A"#) == true)
        let skipped = try #require(entries.first { $0.message.hasPrefix("Skipping JWK") })
        #expect(skipped.metadata["kid"]?.hasPrefix(#"enc-1\n2026-12-01"#) == true)
        expectNoRawControlCharacters(entries)
    }

    @Test("an issuer or audience with a forged line in a validly signed token is logged escaped")
    func forgedClaims() async throws {
        var claims = TestClaims()
        claims.iss = "https://evil.example" + Self.forgedLine
        let issuer = try await logsOfRejecting(try await AccessFixture.sign(claims), jwks: AccessAssertionGuardTests.rsaSet)
        let issuerReason = try #require(issuer.first { $0.message == "Access assertion rejected" }?.metadata["reason"])
        #expect(issuerReason.hasPrefix(#"issuer https://evil.example\n2026-12-01"#))
        expectNoRawControlCharacters(issuer)

        claims = TestClaims()
        claims.aud = [.string("other" + Self.forgedLine)]
        let audience = try await logsOfRejecting(try await AccessFixture.sign(claims), jwks: AccessAssertionGuardTests.rsaSet)
        #expect(audience.contains { $0.metadata["reason"]?.hasPrefix("audience") == true })
        expectNoRawControlCharacters(audience)
    }
}
