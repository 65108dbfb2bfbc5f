import Testing
@testable import WorkersOAuthProvider

/// The key set's transitions as pure functions of the record and the time: no store, no clock, no cryptography.
@Suite struct SigningKeySetRotationTests {
    static func key(_ kid: String, createdAt: Int = 1000, retiredAt: Int? = nil, publishUntil: Int? = nil) -> StoredSigningKey {
        StoredSigningKey(
            kid: kid, alg: .es256, publicKey: .ec(kid: kid, alg: .es256, x: "x", y: "y"), encryptedPrivateKey: "sealed",
            createdAt: createdAt, retiredAt: retiredAt, publishUntil: publishUntil
        )
    }

    @Test("the retention is the token lifetime, the refresh interval and a minute")
    func retention() {
        #expect(AccessTokenSigning().retention == 300 + 30 + 60)
        #expect(AccessTokenSigning(lifetime: 3600, keyRefreshInterval: .milliseconds(1500)).retention == 3600 + 2 + 60)
    }

    @Test("a rotation makes the new key current and retires the old one until now + retention")
    func rotation() {
        let set = SigningKeySet().starting(with: Self.key("A"))
        #expect(set.current?.kid == "A")
        let rotated = set.rotated(to: Self.key("B", createdAt: 2000), now: 2000, retention: 390)
        #expect(rotated.current?.kid == "B")
        #expect(rotated.keys.filter { $0.retiredAt == nil }.count == 1)
        let old = rotated.key("A")
        #expect(old?.retiredAt == 2000 && old?.publishUntil == 2390)
        #expect(rotated.published(at: 2389).map(\.kid).sorted() == ["A", "B"])
        #expect(rotated.published(at: 2390).map(\.kid) == ["B"])
    }

    @Test("a rotation drops retired keys no longer published and keeps those still published")
    func rotationPrunes() {
        let set = SigningKeySet(keys: [
            Self.key("old", retiredAt: 100, publishUntil: 500), Self.key("recent", retiredAt: 900, publishUntil: 1300),
            Self.key("current", createdAt: 900),
        ])
        let rotated = set.rotated(to: Self.key("new", createdAt: 1000), now: 1000, retention: 390)
        #expect(rotated.keys.map(\.kid) == ["recent", "current", "new"])
        #expect(rotated.key("recent")?.publishUntil == 1300, "an already retired key keeps its date")
        #expect(rotated.key("current")?.publishUntil == 1390)
    }

    @Test("a first rotation on an empty set only adds the key")
    func rotationOfEmptySet() {
        let rotated = SigningKeySet().rotated(to: Self.key("A"), now: 1000, retention: 390)
        #expect(rotated.keys.map(\.kid) == ["A"] && rotated.current?.kid == "A")
    }

    @Test("removal takes a retired key out at once, and drops expired ones with it")
    func removal() throws {
        let set = SigningKeySet(keys: [
            Self.key("expired", retiredAt: 100, publishUntil: 500), Self.key("retired", retiredAt: 900, publishUntil: 1300),
            Self.key("current", createdAt: 900),
        ])
        let removed = try set.removing("retired", now: 1000)
        #expect(removed.keys.map(\.kid) == ["current"])
        #expect(removed.published(at: 1000).map(\.kid) == ["current"])
    }

    @Test("removal refuses the current key and an unknown one")
    func removalRefusals() {
        let set = SigningKeySet().starting(with: Self.key("current")).rotated(to: Self.key("next"), now: 1000, retention: 390)
        #expect(throws: SigningKeySet.Refusal.currentKey("next")) { try set.removing("next", now: 1000) }
        #expect(throws: SigningKeySet.Refusal.unknownKey("nope")) { try set.removing("nope", now: 1000) }
        // Rotate, then the formerly current key can go.
        #expect((try? set.removing("current", now: 1000))?.keys.map(\.kid) == ["next"])
    }
}
