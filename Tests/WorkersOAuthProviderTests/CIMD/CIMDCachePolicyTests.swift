import Testing

@testable import WorkersOAuthProvider

@Suite("CIMD cache policy")
struct CIMDCachePolicyTests {
    @Test("s-maxage, else max-age, capped at 7 days; nothing below KV's 60 s minimum", arguments: [
        ("max-age=300", 300), ("public, max-age=3600", 3600), ("max-age=600, s-maxage=120", 120), ("s-maxage=\"900\"", 900),
        ("max-age=99999999", 604_800), ("MAX-AGE=120", 120), (" max-age = 240 ", 240),
    ])
    func lifetimes(header: String, seconds: Int) {
        #expect(CIMDCachePolicy.seconds(cacheControl: header) == seconds)
    }

    @Test("not cached: no header, no lifetime, no-cache, no-store, private, too short, malformed", arguments: [
        nil, "", "public", "no-store", "no-cache", "private, max-age=600", "max-age=600, no-store", "max-age=59", "max-age=0",
        "max-age=-5", "max-age=abc", "=", ",,", "max-age",
    ] as [String?])
    func notCached(header: String?) {
        #expect(CIMDCachePolicy.seconds(cacheControl: header) == nil)
    }
}
