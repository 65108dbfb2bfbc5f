import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// RFC 9700 §4.14.2 at the token endpoint: rotation, a bounded retry window, and reuse revoking the grant.
@Suite("Refresh-token reuse detection")
struct RefreshTokenReuseTests {
    static func refresh(_ harness: ProviderHarness, _ client: RegisteredClient, _ token: String) async throws -> TestResponse {
        try await harness.token(client, [("grant_type", "refresh_token"), ("refresh_token", token)])
    }

    @Test("an attacker presenting a rotated-out refresh token after the window revokes the grant and every token of it")
    func reuseRevokesTheGrant() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let issued = try await harness.issue(client)
        let rt0 = try #require(issued["refresh_token"]?.stringValue)
        let rotated = try await Self.refresh(harness, client, rt0)
        #expect(rotated.status == 200)
        let rt1 = try #require(rotated.json?["refresh_token"]?.stringValue)
        let access1 = try #require(rotated.json?["access_token"]?.stringValue)

        harness.clock.advance(by: 61)
        let attack = try await Self.refresh(harness, client, rt0)
        #expect(attack.status == 400)
        #expect(attack.error == "invalid_grant")
        #expect(attack.json?["access_token"] == nil)
        // The grant is gone: the client's own newer token, and every access token, stop working.
        #expect(try await Self.refresh(harness, client, rt1).error == "invalid_grant")
        #expect(try await harness.callAPI(token: access1).status == 401)
        #expect(try await harness.callAPI(token: issued["access_token"]?.stringValue).status == 401)
        #expect(try await harness.helpers.listUserGrants("alice").items.isEmpty)
    }

    @Test("a lost response can be retried within the window; re-presenting never extends it; then it is reuse")
    func graceWindowDoesNotSlide() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let rt0 = try #require(try await harness.issue(client)["refresh_token"]?.stringValue)
        #expect(try await Self.refresh(harness, client, rt0).status == 200)
        harness.clock.advance(by: 40)
        let retry = try await Self.refresh(harness, client, rt0)
        #expect(retry.status == 200, "\(retry.text)")
        let rt2 = try #require(retry.json?["refresh_token"]?.stringValue)
        harness.clock.advance(by: 40)  // 80 s after RT0 was first spent, 40 s after the retry
        #expect(try await Self.refresh(harness, client, rt0).error == "invalid_grant")
        #expect(try await Self.refresh(harness, client, rt2).status == 400, "reuse revoked the grant")
    }

    @Test("a sibling from concurrent refreshes or an unknown secret is only invalid_grant: the newest token keeps working")
    func siblingsAndGuessesDoNotRevoke() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let rt0 = try #require(try await harness.issue(client)["refresh_token"]?.stringValue)
        let first = try await Self.refresh(harness, client, rt0)
        let second = try await Self.refresh(harness, client, rt0)  // the same token raced: a retry inside the window
        let sibling = try #require(first.json?["refresh_token"]?.stringValue)
        let newest = try #require(second.json?["refresh_token"]?.stringValue)
        #expect(try await Self.refresh(harness, client, sibling).error == "invalid_grant")
        let prefix = rt0.split(separator: ":").prefix(2).joined(separator: ":")
        #expect(try await Self.refresh(harness, client, prefix + ":guessed-secret-guessed-secret-guess").error == "invalid_grant")
        let next = try await Self.refresh(harness, client, newest)
        #expect(next.status == 200, "\(next.text)")
    }

    @Test("with a grace of 0 a spent token is never usable again: presenting it is reuse at once")
    func zeroGrace() async throws {
        let harness = try ProviderHarness { $0.refreshTokenReuseGrace = 0 }
        let client = try await harness.register()
        let rt0 = try #require(try await harness.issue(client)["refresh_token"]?.stringValue)
        let rt1 = try #require(try await Self.refresh(harness, client, rt0).json?["refresh_token"]?.stringValue)
        #expect(try await Self.refresh(harness, client, rt0).error == "invalid_grant")
        #expect(try await Self.refresh(harness, client, rt1).error == "invalid_grant")
    }

    @Test("another client presenting a leaked spent token learns nothing and revokes nothing")
    func otherClientsCannotRevoke() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let other = try await harness.register()
        let rt0 = try #require(try await harness.issue(client)["refresh_token"]?.stringValue)
        let rt1 = try #require(try await Self.refresh(harness, client, rt0).json?["refresh_token"]?.stringValue)
        harness.clock.advance(by: 120)
        #expect(try await Self.refresh(harness, other, rt0).error == "invalid_grant")
        #expect(try await Self.refresh(harness, client, rt1).status == 200)
    }

    @Test("the grace window is validated")
    func negativeGraceIsRefused() {
        #expect(throws: OAuthProviderError.self) { try ProviderHarness { $0.refreshTokenReuseGrace = -1 } }
    }
}
