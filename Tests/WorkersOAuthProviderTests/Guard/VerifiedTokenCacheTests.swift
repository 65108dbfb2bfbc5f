import Foundation
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// `verifiedTokenCacheTTL`: API calls reuse a verified token for at most its lifetime (≤ 1 s) and never past the
/// token's expiry, so a revocation made elsewhere (another instance on the same store) is seen within it.
@Suite("Verified-token cache")
struct VerifiedTokenCacheTests {
    /// A revocation another process makes: the token's record removed from the store behind this provider's back.
    static func revokeBehindTheProvidersBack(_ kv: any KVNamespace) async throws {
        for key in try await kv.list(KVListOptions(prefix: "token:")).keys { try await kv.delete(key.name) }
    }

    @Test("a token revoked elsewhere is still served within the lifetime, and refused once it has passed")
    func revocationWithinLifetime() async throws {
        let harness = try ProviderHarness { $0.verifiedTokenCacheTTL = .milliseconds(800) }
        let registered = try await harness.register()
        let token = try #require(try await harness.issue(registered)["access_token"]?.stringValue)
        #expect(try await harness.callAPI(token: token).status == 200)

        try await Self.revokeBehindTheProvidersBack(harness.kv)
        harness.clock.advance(by: 0.5)
        let cached = try await harness.callAPI(token: token)
        #expect(cached.status == 200, "served from the cache within its lifetime")
        #expect(cached.json?["props"]?["login"]?.stringValue == "alice")

        harness.clock.advance(by: 0.31)
        #expect(try await harness.callAPI(token: token).status == 401, "the cache entry died 0.8 s after the read")
    }

    @Test("without the option every call reads the store: a revocation elsewhere is refused at once")
    func offByDefault() async throws {
        let harness = try ProviderHarness()
        let registered = try await harness.register()
        let token = try #require(try await harness.issue(registered)["access_token"]?.stringValue)
        #expect(try await harness.callAPI(token: token).status == 200)
        try await Self.revokeBehindTheProvidersBack(harness.kv)
        #expect(try await harness.callAPI(token: token).status == 401)
    }

    @Test("a lifetime above one second is capped at one second")
    func capped() async throws {
        let harness = try ProviderHarness { $0.verifiedTokenCacheTTL = .seconds(30) }
        #expect(harness.provider.options.verifiedTokenCacheTTL == .seconds(1))
        let registered = try await harness.register()
        let token = try #require(try await harness.issue(registered)["access_token"]?.stringValue)
        #expect(try await harness.callAPI(token: token).status == 200)
        try await Self.revokeBehindTheProvidersBack(harness.kv)
        harness.clock.advance(by: 1.0)
        #expect(try await harness.callAPI(token: token).status == 401)
    }

    @Test("a cached token is refused once it expires, and a wrong token is never admitted by another's entry")
    func expiryAndIsolation() async throws {
        let harness = try ProviderHarness {
            $0.verifiedTokenCacheTTL = .seconds(1)
            $0.accessTokenTTL = 60
        }
        let registered = try await harness.register()
        let token = try #require(try await harness.issue(registered)["access_token"]?.stringValue)
        #expect(try await harness.callAPI(token: token).status == 200)
        #expect(try await harness.callAPI(token: token + "x").status == 401)
        harness.clock.advance(by: 59.5)
        #expect(try await harness.callAPI(token: token).status == 200)  // read again, cached until the expiry only
        harness.clock.advance(by: 0.6)
        #expect(try await harness.callAPI(token: token).status == 401, "props never outlive the token")
    }
}
