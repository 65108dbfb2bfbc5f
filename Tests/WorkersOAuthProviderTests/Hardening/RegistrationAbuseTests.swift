import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

@testable import WorkersOAuthProvider

/// The registration endpoint is open to anyone: everything it stores is bounded, and it is rate-limited.
@Suite("Registration abuse: caps, rate limits, short life until first use")
struct RegistrationAbuseTests {
    static let valid: [String: JSONValue] = ["redirect_uris": ["https://app.example.com/cb"], "token_endpoint_auth_method": "none"]

    static func register(_ harness: ProviderHarness, _ metadata: [String: JSONValue], from address: String? = nil) async throws
        -> TestResponse
    {
        var request = try Request(
            method: .post, url: ProviderHarness.origin + "/oauth/register", headers: [.contentType: "application/json"],
            body: JSONValue.object(metadata).jsonString
        )
        request.clientAddress = address
        let response = try await harness.provider.fetch(request, env: makeEnv(kv: harness.kv), ctx: ExecutionContext())
        return TestResponse(status: response.status.code, headers: response.headers, text: try await response.body.text())
    }

    @Test("200 KB of client metadata is refused with 413 and nothing is stored; so are too many or too long fields")
    func fieldCaps() async throws {
        let harness = try ProviderHarness()
        var padded = Self.valid
        padded["client_name"] = .string(String(repeating: "x", count: 200_000))
        let huge = try await Self.register(harness, padded)
        #expect(huge.status == 413)
        #expect(huge.error == "invalid_client_metadata")

        let tooMany = (0...20).map { JSONValue.string("https://app.example.com/cb\($0)") }
        let cases: [(String, JSONValue)] = [
            ("redirect_uris", .array(tooMany)),
            ("redirect_uris", .array([.string("https://app.example.com/" + String(repeating: "p", count: 2_000))])),
            ("client_name", .string(String(repeating: "n", count: 201))),
            ("client_uri", .string("https://app.example.com/" + String(repeating: "p", count: 2_000))),
            ("contacts", .array((0...10).map { JSONValue.string("c\($0)@example.com") })),
        ]
        for (field, value) in cases {
            var metadata = Self.valid
            metadata[field] = value
            let response = try await Self.register(harness, metadata)
            #expect(response.status == 400, "\(field)")
            #expect(["invalid_client_metadata", "invalid_redirect_uri"].contains(response.error ?? ""), "\(field)")
        }
        #expect(try await harness.kv.list(prefix: "client:").keys.isEmpty)

        var atTheLimits = Self.valid
        atTheLimits["redirect_uris"] = .array((0..<20).map { JSONValue.string("https://app.example.com/cb\($0)") })
        atTheLimits["client_name"] = .string(String(repeating: "n", count: 200))
        #expect(try await Self.register(harness, atTheLimits).status == 201)
    }

    @Test("registrations are limited per source address with 429 and Retry-After; another address is unaffected")
    func perAddressRateLimit() async throws {
        let harness = try ProviderHarness {
            $0.registrationRateLimit = RateLimit(requestsPerMinute: 20, burst: 10)
        }
        for _ in 0..<10 { #expect(try await Self.register(harness, Self.valid, from: "203.0.113.7").status == 201) }
        let limited = try await Self.register(harness, Self.valid, from: "203.0.113.7")
        #expect(limited.status == 429)
        #expect(limited.error == "temporarily_unavailable")
        let retryAfter = try #require(limited.header("Retry-After").flatMap(Int.init))
        #expect((1...3).contains(retryAfter), "one token comes back every 3 s at 20 a minute")
        #expect(try await Self.register(harness, Self.valid, from: "198.51.100.1").status == 201)
        harness.clock.advance(by: 3)
        #expect(try await Self.register(harness, Self.valid, from: "203.0.113.7").status == 201)
        #expect(try await harness.kv.list(prefix: "client:").keys.count == 12)
    }

    @Test("the provider's defaults limit registrations: the eleventh at once from one address is refused")
    func defaultsApply() async throws {
        let provider = try OAuthProvider(
            apiRoute: ["/api"], apiHandler: FetchHandler { _, _, _ in Response.text("ok") },
            defaultHandler: FetchHandler { _, _, _ in Response.text("default") },
            options: .init(clientRegistrationEndpoint: "/register")
        )
        let env = makeEnv(kv: MemoryKV())
        var statuses: [Int] = []
        for _ in 0..<11 {
            var request = try Request(
                method: .post, url: "https://auth.example.com/register", headers: [.contentType: "application/json"],
                body: JSONValue.object(Self.valid).jsonString
            )
            request.clientAddress = "203.0.113.9"
            statuses.append(try await provider.fetch(request, env: env, ctx: ExecutionContext()).status.code)
        }
        #expect(statuses == Array(repeating: 201, count: 10) + [429])
    }

    @Test("a registration nobody authorizes expires after 24 hours")
    func unusedRegistrationsExpire() async throws {
        let harness = try ProviderHarness()
        let response = try await Self.register(harness, Self.valid)
        let id = try #require(response.json?["client_id"]?.stringValue)
        harness.clock.advance(by: 86_401)
        #expect(try await harness.helpers.lookupClient(id) == nil)
    }

    @Test("the token endpoint limits each client with 429 temporarily_unavailable and Retry-After")
    func tokenEndpointRateLimit() async throws {
        let harness = try ProviderHarness { $0.tokenRateLimit = RateLimit(requestsPerMinute: 60, burst: 3) }
        let client = try await harness.register()
        let other = try await harness.register()
        for _ in 0..<3 {
            #expect(try await harness.token(client, [("grant_type", "refresh_token"), ("refresh_token", "a:b:c")]).status == 400)
        }
        let limited = try await harness.token(client, [("grant_type", "refresh_token"), ("refresh_token", "a:b:c")])
        #expect(limited.status == 429)
        #expect(limited.error == "temporarily_unavailable")
        #expect(limited.header("Retry-After") == "1")
        #expect(limited.header("Cache-Control") == "no-store")
        #expect(try await harness.token(other, [("grant_type", "refresh_token"), ("refresh_token", "a:b:c")]).status == 400)
    }

    @Test("the rate limiter's memory is bounded however many addresses it sees")
    func limiterMemoryIsBounded() {
        let limiter = RateLimiter(RateLimit(requestsPerMinute: 1, burst: 1), maximumKeys: 100)
        for index in 0..<5_000 { _ = limiter.admit("198.51.100.\(index)", now: Double(index) / 1_000) }
        #expect(limiter.trackedKeys <= 100)
        #expect(limiter.admit("198.51.100.4999", now: 5) == .limited(retryAfter: 60))
    }
}
