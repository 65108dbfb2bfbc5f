import Foundation
import HTTPTypes
import Logging
import Synchronization
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// Redirect URI schemes, PKCE value format, repeated parameters, CORS caching and log injection.
@Suite("Input hygiene")
struct InputHygieneTests {
    @Test(
        "registration refuses redirect URIs that are not https, loopback http or a reverse-DNS private-use scheme",
        arguments: [
            "http://evil.example/cb", "https:evil.example", "https:///cb", "view-source:https://a.example/", "about:blank",
            "ftp://a.example/cb", "ws://a.example/cb", "wss://a.example/cb", "myapp://cb", "https://user@evil.example/cb",
            "http://127.0.0.1.evil.example/cb", "com..example:/cb", "1com.example:/cb",
        ]
    )
    func registrationRefusesLooseRedirectURIs(uri: String) async throws {
        let harness = try ProviderHarness()
        let response = try await harness.client.postJSON(
            "/oauth/register", ["redirect_uris": [.string(uri)], "token_endpoint_auth_method": "none"]
        )
        #expect(response.status == 400)
        #expect(response.error == "invalid_redirect_uri")
    }

    @Test(
        "registration accepts https, loopback http on any port, and private-use schemes in reverse-DNS form",
        arguments: [
            "https://app.example.com/cb", "http://localhost:3000/cb", "http://127.0.0.1:51234/callback", "http://[::1]:8080/cb",
            "com.example.app:/oauth/callback", "com.example.app://callback",
        ]
    )
    func registrationAcceptsProperRedirectURIs(uri: String) async throws {
        let harness = try ProviderHarness()
        let response = try await harness.client.postJSON(
            "/oauth/register", ["redirect_uris": [.string(uri)], "token_endpoint_auth_method": "none"]
        )
        #expect(response.status == 201, "\(response.text)")
    }

    @Test(
        "a code_verifier outside RFC 7636's 43-128 unreserved characters is invalid_grant, and the code stays usable",
        arguments: [
            String(repeating: "a", count: 5), String(repeating: "a", count: 42), String(repeating: "a", count: 129),
            String(repeating: "a", count: 1_000), String(repeating: "a", count: 40) + " abc", String(repeating: "a", count: 43) + "\u{0}",
        ]
    )
    func verifierFormat(verifier: String) async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        // The challenge is the S256 of the malformed verifier itself, so only the format check can refuse it.
        let matching = try await Self.code(harness, client, challenge: TokenCryptoVectors.s256(verifier))
        let refused = try await harness.token(client, Self.exchange(matching, verifier: verifier))
        #expect(refused.status == 400)
        #expect(refused.error == "invalid_grant")

        let code = try await Self.code(harness, client, challenge: TokenCryptoVectors.s256(ProviderHarness.verifier))
        #expect(try await harness.token(client, Self.exchange(code, verifier: verifier)).error == "invalid_grant")
        let good = try await harness.token(client, Self.exchange(code, verifier: ProviderHarness.verifier))
        #expect(good.status == 200, "the malformed attempt did not consume the code: \(good.text)")
    }

    static func exchange(_ code: String, verifier: String) -> [(String, String)] {
        [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", ProviderHarness.callback), ("code_verifier", verifier)]
    }

    /// A code issued with S256 challenge `challenge`.
    static func code(_ harness: ProviderHarness, _ client: RegisteredClient, challenge: String) async throws -> String {
        var components = URLComponents(string: ProviderHarness.origin + "/authorize")!
        components.queryItems = [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: client.client.clientID),
            URLQueryItem(name: "redirect_uri", value: ProviderHarness.callback),
            URLQueryItem(name: "code_challenge", value: challenge), URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        let authRequest = try await harness.helpers.parseAuthRequest(Request(url: components.url!))
        let done = try await harness.helpers.completeAuthorization(
            CompleteAuthorizationOptions(request: authRequest, userID: "alice", scope: [], props: [:])
        )
        return try #require(URLComponents(string: done.redirectTo)?.queryItems?.first { $0.name == "code" }?.value)
    }

    @Test("a code_challenge outside the same bounds is invalid_request at authorization", arguments: [5, 42, 129])
    func challengeFormat(length: Int) async throws {
        let harness = try ProviderHarness { $0.allowPlainPKCE = true }
        let client = try await harness.register()
        var components = URLComponents(string: ProviderHarness.origin + "/authorize")!
        components.queryItems = [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: client.client.clientID),
            URLQueryItem(name: "redirect_uri", value: ProviderHarness.callback),
            URLQueryItem(name: "code_challenge", value: String(repeating: "c", count: length)),
            URLQueryItem(name: "code_challenge_method", value: "plain"),
        ]
        await #expect(throws: AuthorizationError.self) {
            try await harness.helpers.parseAuthRequest(Request(url: components.url!))
        }
    }

    @Test("repeated /authorize parameters are refused without a redirect (RFC 6749 §3.1); resource may repeat")
    func repeatedAuthorizeParameters() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        for name in ["client_id", "redirect_uri", "state", "code_challenge", "scope"] {
            let request = try harness.authorizationRequest(client, extra: [URLQueryItem(name: name, value: "x")])
            do {
                _ = try await harness.helpers.parseAuthRequest(request)
                Issue.record("\(name) repeated was accepted")
            } catch let error as AuthorizationError {
                #expect(error.code == .invalidRequest)
                #expect(error.redirectLocation == nil, "\(name)")
            }
        }
        let twoResources = try harness.authorizationRequest(
            client,
            extra: [URLQueryItem(name: "resource", value: ProviderHarness.origin + "/a"), URLQueryItem(name: "resource", value: ProviderHarness.origin + "/b")]
        )
        #expect(try await harness.helpers.parseAuthRequest(twoResources).resource?.count == 2)
    }

    @Test("CORS answers that echo Origin say Vary: Origin")
    func corsVariesOnOrigin() async throws {
        let harness = try ProviderHarness()
        for (method, path) in [(HTTPRequest.Method.options, "/oauth/token"), (.get, "/.well-known/oauth-authorization-server"), (.get, "/api")] {
            let response = try await harness.client.send(method, path, headers: [("Origin", "https://app.example.com")])
            #expect(response.header("Access-Control-Allow-Origin") == "https://app.example.com")
            #expect(response.headers[values: .vary].contains("Origin"), "\(path)")
        }
    }

    @Test("attacker-chosen parameter names and redirect URIs reach the provider's log with their control characters escaped")
    func logInjection() async throws {
        let logs = LogRecorder()
        let harness = try ProviderHarness { $0.logger = logs.logger(level: .debug) }
        let forged = "x\n2026-12-01T00:00:00+0000 critical workers: forged"
        _ = try await harness.client.postForm("/oauth/token", [(forged, "1"), (forged, "2"), ("client_id", "c")])
        _ = try await harness.client.postJSON(
            "/oauth/register", ["redirect_uris": [.string("https://evil.example/\r\ncb\n2026 critical")], "token_endpoint_auth_method": "none"]
        )
        let logged = logs.entries
        #expect(logged.count >= 2)
        for entry in logged {
            for part in [entry.message] + entry.metadata.values {
                #expect(!part.contains("\n") && !part.contains("\r"), "\(part)")
            }
        }
        #expect(logged.contains { $0.message.contains(#"x\n2026-12-01"#) })
    }
}
