import Foundation
import HTTPTypes
import Testing

@testable import WorkersOAuthProvider

/// The pure rotation rules of RFC 9700 §4.14.2, without any KV.
@Suite("Refresh-token standing (pure)")
struct RefreshTokenStandingTests {
    static func grant(current: String? = "rt1", previous: String? = "rt0", spentAt: Int? = 1_000, spent: [String]? = ["rt0"])
        -> StoredGrant
    {
        var grant = StoredGrant(id: "g", clientID: "c", userID: "u", scope: [], encryptedProps: "", createdAt: 0)
        grant.refreshTokenID = current
        grant.previousRefreshTokenID = previous
        grant.previousRefreshTokenSpentAt = spentAt
        grant.spentRefreshTokenIDs = spent
        return grant
    }

    @Test("the current token rotates; the previous one is a retry only inside the window that its first spend opened")
    func windows() {
        let grant = Self.grant()
        #expect(RefreshTokenStanding.of("rt1", in: grant, now: 5_000, grace: 60) == .current)
        #expect(RefreshTokenStanding.of("rt0", in: grant, now: 1_000, grace: 60) == .retry)
        #expect(RefreshTokenStanding.of("rt0", in: grant, now: 1_059, grace: 60) == .retry)
        #expect(RefreshTokenStanding.of("rt0", in: grant, now: 1_060, grace: 60) == .reused)
        #expect(RefreshTokenStanding.of("rt0", in: grant, now: 1_000, grace: 0) == .reused, "grace 0: never usable again")
    }

    @Test("a spent token that is no longer the previous one is reuse; an unknown or never-presented one is not")
    func reuseAndUnknown() {
        let grant = Self.grant(current: "rt3", previous: "rt2", spentAt: 2_000, spent: ["rt0", "rt1", "rt2"])
        #expect(RefreshTokenStanding.of("rt0", in: grant, now: 2_001, grace: 60) == .reused)
        #expect(RefreshTokenStanding.of("rt1", in: grant, now: 2_001, grace: 60) == .reused)
        #expect(RefreshTokenStanding.of("sibling", in: grant, now: 2_001, grace: 60) == .unknown)
        let legacy = Self.grant(previous: "rt0", spentAt: nil, spent: nil)
        #expect(RefreshTokenStanding.of("rt0", in: legacy, now: 1, grace: 60) == .unknown, "an anchor grant's previous token")
    }

    @Test("rotating the current token spends it now; a retry keeps the window where it was; the memory is bounded")
    func rotation() {
        var grant = Self.grant(current: "a", previous: nil, spentAt: nil, spent: nil)
        grant.rotateRefreshToken(presentedID: "a", presentedWrappedKey: "ka", standing: .current, newTokenID: "b", newWrappedKey: "kb", now: 100)
        #expect(grant.refreshTokenID == "b")
        #expect(grant.previousRefreshTokenID == "a")
        #expect(grant.previousRefreshTokenSpentAt == 100)
        #expect(grant.spentRefreshTokenIDs == ["a"])

        grant.rotateRefreshToken(presentedID: "a", presentedWrappedKey: "ka2", standing: .retry, newTokenID: "c", newWrappedKey: "kc", now: 150)
        #expect(grant.refreshTokenID == "c")
        #expect(grant.previousRefreshTokenSpentAt == 100, "re-presenting within the window never extends it")
        #expect(grant.spentRefreshTokenIDs == ["a"])
        #expect(RefreshTokenStanding.of("b", in: grant, now: 150, grace: 60) == .unknown, "b was issued, never presented")

        for index in 0..<20 {
            let current = grant.refreshTokenID!
            grant.rotateRefreshToken(
                presentedID: current, presentedWrappedKey: "k", standing: .current, newTokenID: "t\(index)", newWrappedKey: "k",
                now: 200 + index
            )
        }
        #expect(grant.spentRefreshTokenIDs?.count == RefreshTokenStanding.spentTokensRemembered)
        #expect(grant.spentRefreshTokenIDs?.last == "t18")
    }
}
