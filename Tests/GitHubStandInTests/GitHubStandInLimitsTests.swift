import Foundation
import GitHubStandIn
import HTTPTypes
import NIOHTTP1
import Synchronization
import Testing
import WorkersRuntime
import WorkersTesting

/// The stand-in's memory stays bounded whatever clients send: recording is a bounded ring (off by default),
/// bodies are capped, codes expire and are capped, and so are tokens.
@Suite("GitHubStandIn memory bounds")
struct GitHubStandInLimitsTests {
    let client = TestClient()
    static let callback = "http://127.0.0.1:9/callback"

    func authorizeURL(_ github: FakeGitHub) -> URL {
        var components = URLComponents(url: github.url("/login/oauth/authorize"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            .init(name: "client_id", value: github.standIn.configuration.clientID),
            .init(name: "redirect_uri", value: Self.callback),
        ]
        return components.url!
    }

    /// Presses Authorize on the login page; returns the code.
    func issueCode(_ github: FakeGitHub) async throws -> String {
        let location = try await github.approve(authorizeURL(github))
        return try #require(URLComponents(url: location, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "code" }?.value)
    }

    /// Exchanges `code`; returns the token, or GitHub's `error`.
    func exchange(_ github: FakeGitHub, _ code: String) async throws -> (token: String?, error: String?) {
        let configuration = github.standIn.configuration
        let response = try await client.postForm(
            github.url("/login/oauth/access_token"),
            [("client_id", configuration.clientID), ("client_secret", configuration.clientSecret), ("code", code)],
            headers: [("Accept", "application/json")]
        )
        return (response.json?["access_token"]?.stringValue, response.json?["error"]?.stringValue)
    }

    @Test("recording is off by default and with limit 0; a limit keeps only the newest requests")
    func recordingRing() async throws {
        #expect(GitHubStandIn.Configuration().recordedRequestLimit == 0)
        let off = try await FakeGitHub.start(recordedRequestLimit: 0)
        let ring = try await FakeGitHub.start(recordedRequestLimit: 3)
        for n in 0..<5 {
            for github in [off, ring] { _ = try await client.send(.get, github.url("/user?n=\(n)")) }
        }
        let afterFive = ring.requests.map(\.target)
        _ = try await client.send(.get, ring.url("/user?n=5"))
        let afterSix = ring.requests.map(\.target)
        try await off.stop()
        try await ring.stop()
        #expect(off.requests.isEmpty)
        #expect(afterFive == ["/user?n=2", "/user?n=3", "/user?n=4"])
        #expect(afterSix == ["/user?n=3", "/user?n=4", "/user?n=5"])
    }

    @Test("expired codes are dropped whenever a code is issued or exchanged, and the oldest go beyond the cap")
    func codesExpireAndAreCapped() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let github = try await FakeGitHub.start(
            configuration: .init(codeLifetime: 60, now: { clock.withLock { $0 } }, maxOutstandingCodes: 5))
        for _ in 0..<3 { _ = try await issueCode(github) }
        #expect(github.standIn.outstandingCodeCount == 3)
        clock.withLock { $0 += 61 }
        _ = try await issueCode(github)
        #expect(github.standIn.outstandingCodeCount == 1)  // the three expired ones went when this one was issued

        var codes: [String] = []
        for _ in 0..<7 {
            clock.withLock { $0 += 1 }
            codes.append(try await issueCode(github))
        }
        #expect(github.standIn.outstandingCodeCount == 5)
        #expect(try await exchange(github, codes[0]).error == "bad_verification_code")  // evicted
        #expect(try await exchange(github, codes[1]).error == "bad_verification_code")  // evicted
        #expect(try await exchange(github, codes[6]).token?.hasPrefix("gho_") == true)
        #expect(github.standIn.outstandingCodeCount == 4)

        clock.withLock { $0 += 61 }
        #expect(try await exchange(github, "no-such-code").error == "bad_verification_code")
        #expect(github.standIn.outstandingCodeCount == 0)  // the exchange dropped the expired ones
        try await github.stop()
    }

    @Test("issued tokens are capped; the oldest is revoked")
    func tokensAreCapped() async throws {
        let github = try await FakeGitHub.start(configuration: .init(maxIssuedTokens: 2))
        var tokens: [String] = []
        for _ in 0..<3 {
            tokens.append(try #require(try await exchange(github, try await issueCode(github)).token))
        }
        let oldest = try await client.send(.get, github.url("/user"), headers: [("Authorization", "Bearer \(tokens[0])"), ("User-Agent", "t")])
        let newest = try await client.send(.get, github.url("/user"), headers: [("Authorization", "Bearer \(tokens[2])"), ("User-Agent", "t")])
        try await github.stop()
        #expect(Set(github.standIn.issuedTokens) == Set(tokens[1...]))
        #expect(oldest.status == 401)
        #expect(newest.status == 200)
    }

    @Test("a body over the limit gets 413 and is not recorded")
    func oversizedBody() async throws {
        let github = try await FakeGitHub.start(configuration: .init(maxRequestBodySize: 64 * 1024))
        let large = try await client.send(.post, github.url("/login/oauth/access_token"), body: String(repeating: "a", count: 64 * 1024 + 1))
        let limit = try await client.send(.post, github.url("/login/oauth/access_token"), body: String(repeating: "a", count: 64 * 1024))
        try await github.stop()
        #expect(large.status == 413)
        #expect(limit.status == 200)
        #expect(github.requests.map(\.body.count) == [64 * 1024])
    }
}
