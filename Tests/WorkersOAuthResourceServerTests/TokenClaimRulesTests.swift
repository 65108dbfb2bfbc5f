import Foundation
import Testing
import WorkersRuntime

@testable import WorkersOAuthResourceServer

@Suite("TokenClaimRules and TokenCache: the pure checks and the bounded cache")
struct TokenClaimRulesTests {
    let rules = TokenClaimRules(issuer: "https://as.example.com", resource: "https://notes.example.com/mcp", clockSkew: 60)
    let now = 1_800_000_000.0

    func claims() -> TokenClaimRules.Claims {
        TokenClaimRules.Claims(
            issuer: "https://as.example.com", subject: "ada", audience: ["https://notes.example.com/mcp"], clientID: "c",
            scope: "a  b", expiresAt: now + 10, issuedAt: now
        )
    }

    @Test("valid claims give the token's description; scope is split on spaces")
    func valid() throws {
        let info = try rules.check(claims(), now: now, requireSubject: true, requireIssuedAt: true).get()
        #expect(info == AccessTokenInfo(clientID: "c", scopes: ["a", "b"], subject: "ada", resource: "https://notes.example.com/mcp", expiresAt: Int(now) + 10))
    }

    @Test("exp and iat are checked with the skew, at the boundary")
    func skew() {
        var expired = claims()
        expired.expiresAt = now - 60
        #expect(throws: TokenRejection.self) { try rules.check(expired, now: now, requireSubject: true, requireIssuedAt: true).get() }
        expired.expiresAt = now - 59
        #expect((try? rules.check(expired, now: now, requireSubject: true, requireIssuedAt: true).get()) != nil)
        var future = claims()
        future.issuedAt = now + 61
        #expect(throws: TokenRejection.self) { try rules.check(future, now: now, requireSubject: true, requireIssuedAt: true).get() }
    }

    @Test("missing or wrong claims are refused; sub and iat only when required; absurd exp does not trap")
    func refusals() {
        func refused(_ change: (inout TokenClaimRules.Claims) -> Void, subject: Bool = true, issuedAt: Bool = true) -> Bool {
            var value = claims()
            change(&value)
            return (try? rules.check(value, now: now, requireSubject: subject, requireIssuedAt: issuedAt).get()) == nil
        }
        #expect(refused { $0.issuer = "https://as.example.com/" })
        #expect(refused { $0.audience = ["https://notes.example.com/mcp/"] })
        #expect(refused { $0.audience = nil })
        #expect(refused { $0.clientID = "" })
        #expect(refused { $0.subject = nil })
        #expect(!refused({ $0.subject = nil }, subject: false))
        #expect(refused { $0.issuedAt = nil })
        #expect(!refused({ $0.issuedAt = nil }, issuedAt: false))
        #expect(refused { $0.expiresAt = 1e300 })
        #expect(refused { $0.expiresAt = .nan })
    }

    @Test("the cache never returns an entry past its end, and stays within its capacity")
    func cacheBounds() {
        let cache = TokenCache(capacity: 10)
        let info = AccessTokenInfo(clientID: "c", scopes: [])
        for index in 0..<25 {
            cache.remember(TokenCache.key("t\(index)"), .init(token: info, props: nil, keyID: "k", validUntil: now + 5), now: now)
        }
        #expect(cache.count <= 10)
        cache.remember(TokenCache.key("last"), .init(token: info, props: nil, keyID: "k", validUntil: now + 5), now: now)
        #expect(cache.entry(TokenCache.key("last"), now: now + 4.9) != nil)
        #expect(cache.entry(TokenCache.key("last"), now: now + 5) == nil)
        cache.remember(TokenCache.key("stale"), .init(token: info, props: nil, keyID: "k", validUntil: now), now: now)
        #expect(cache.entry(TokenCache.key("stale"), now: now) == nil)
    }
}
