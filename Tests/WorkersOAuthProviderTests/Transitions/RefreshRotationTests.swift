import Foundation
import Testing
import WorkersRuntime
import WorkersTesting

@testable import WorkersOAuthProvider

/// ``RefreshRotation`` without any KV: rotation, the grace window, reuse, expiry, the hook's limits.
@Suite("RefreshRotation (pure)")
struct RefreshRotationTests {
    typealias F = TransitionFixtures

    static func form(_ token: String) -> URLEncodedForm {
        URLEncodedForm([("grant_type", "refresh_token"), ("refresh_token", token)])
    }

    static func rotate(_ token: String, grant: StoredGrant, now: Int, tag: String) throws -> (StoredGrant, TokenResponseBody) {
        let request = try RefreshRotation.Request(form(token))
        let validated = try RefreshRotation.validate(request, grant: grant, client: F.client(), options: F.options, origin: F.origin, now: now)
        let (transition, body) = try RefreshRotation.issue(
            validated, presented: token, hook: nil, secrets: F.secrets(tag), options: F.options, origin: F.origin, now: now
        )
        guard case .putGrant(let rotated, _) = transition.effects[0] else { throw F.FixtureError() }
        return (rotated, body)
    }

    @Test("the current token rotates; the presented one becomes the previous, spent now")
    func rotates() throws {
        let (grant, _, secrets) = try F.exchanged()
        let (rotated, body) = try Self.rotate(secrets.refreshToken, grant: grant, now: F.now + 10, tag: "r1")
        #expect(body.refresh_token == F.secrets("r1").refreshToken)
        #expect(rotated.refreshTokenID == TokenCrypto.hash(F.secrets("r1").refreshToken))
        #expect(rotated.previousRefreshTokenID == TokenCrypto.hash(secrets.refreshToken))
        #expect(rotated.previousRefreshTokenSpentAt == F.now + 10)
    }

    @Test("a retry inside the window is served; after the window the same token revokes the grant")
    func graceThenReuse() throws {
        let (grant, _, secrets) = try F.exchanged()
        let (rotated, _) = try Self.rotate(secrets.refreshToken, grant: grant, now: F.now, tag: "r1")
        let (retried, _) = try Self.rotate(secrets.refreshToken, grant: rotated, now: F.now + 59, tag: "r2")
        #expect(retried.previousRefreshTokenSpentAt == F.now)
        do {
            _ = try Self.rotate(secrets.refreshToken, grant: retried, now: F.now + 60, tag: "r3")
            Issue.record("reuse accepted")
        } catch let refusal as GrantRefusal {
            #expect(refusal.error.code == .invalidGrant)
            #expect(refusal.effects == [.revokeGrant(userID: "alice", grantID: "g1")])
        }
    }

    @Test("an expiring grant refuses refresh; the access token never outlives the grant; the hook cannot change the refresh TTL")
    func lifetimes() throws {
        var (grant, _, secrets) = try F.exchanged()
        grant.expiresAt = F.now + 59
        #expect(throws: OAuthError.self) { try Self.rotate(secrets.refreshToken, grant: grant, now: F.now, tag: "x") }
        grant.expiresAt = F.now + 600
        let (_, body) = try Self.rotate(secrets.refreshToken, grant: grant, now: F.now, tag: "y")
        #expect(body.expires_in == 600)

        let request = try RefreshRotation.Request(Self.form(secrets.refreshToken))
        let validated = try RefreshRotation.validate(request, grant: grant, client: F.client(), options: F.options, origin: F.origin, now: F.now)
        #expect(throws: OAuthError.self) {
            try RefreshRotation.issue(
                validated, presented: secrets.refreshToken, hook: TokenExchangeResult(refreshTokenTTL: .never), secrets: F.secrets("z"),
                options: F.options, origin: F.origin, now: F.now
            )
        }
    }

    @Test("another client's token, an unknown one and a malformed one are refused without effects")
    func refusals() throws {
        let (grant, _, secrets) = try F.exchanged()
        let request = try RefreshRotation.Request(Self.form(secrets.refreshToken))
        #expect(throws: OAuthError.self) {
            try RefreshRotation.validate(request, grant: grant, client: F.client(id: "other"), options: F.options, origin: F.origin, now: F.now)
        }
        let unknown = try RefreshRotation.Request(Self.form("alice:g1:never-issued-0123456789012345"))
        #expect(throws: OAuthError.self) {
            try RefreshRotation.validate(unknown, grant: grant, client: F.client(), options: F.options, origin: F.origin, now: F.now)
        }
        #expect(throws: OAuthError.self) { try RefreshRotation.Request(Self.form("not-a-token")) }
    }
}
