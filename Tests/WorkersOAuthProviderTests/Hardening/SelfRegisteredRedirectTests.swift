import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// RFC 9700 §4.11.2: no error redirect to a redirect URI nobody vouches for, before a user has acted.
@Suite("Error redirects and self-registered clients")
struct SelfRegisteredRedirectTests {
    /// Registers `https://evil.example/phish` through DCR, as anyone can.
    static func registerPhisher(_ harness: ProviderHarness) async throws -> String {
        let response = try await harness.client.postJSON(
            "/oauth/register", ["redirect_uris": ["https://evil.example/phish"], "token_endpoint_auth_method": "none"]
        )
        #expect(response.status == 201)
        return try #require(response.json?["client_id"]?.stringValue)
    }

    static func request(_ query: [(String, String)]) -> Request {
        var components = URLComponents(string: ProviderHarness.origin + "/authorize")!
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        return Request(url: components.url!)
    }

    @Test("a dynamically registered client's invalid request is an error to show, never a redirect to its URI")
    func dynamicClientErrorsAreNotRedirected() async throws {
        let harness = try ProviderHarness()
        let clientID = try await Self.registerPhisher(harness)
        let bad = Self.request([
            ("client_id", clientID), ("redirect_uri", "https://evil.example/phish"), ("response_type", "token"), ("state", "s"),
        ])
        do {
            _ = try await harness.helpers.parseAuthRequest(bad)
            Issue.record("expected an AuthorizationError")
        } catch let error as AuthorizationError {
            #expect(error.code == .unsupportedResponseType)
            #expect(error.clientRegisteredItself)
            #expect(error.redirectLocation == nil)
            #expect(error.redirectURI == "https://evil.example/phish", "the app still learns which URI it was")
        }
    }

    @Test("an operator's client keeps its error redirects, and an access_denied after the user's decision redirects for all")
    func operatorClientsAndDecisionsRedirect() async throws {
        let harness = try ProviderHarness()
        let registered = try await harness.register()
        let bad = try harness.authorizationRequest(registered, extra: [URLQueryItem(name: "resource", value: "https://x.example#f")])
        do {
            _ = try await harness.helpers.parseAuthRequest(bad)
            Issue.record("expected an AuthorizationError")
        } catch let error as AuthorizationError {
            #expect(!error.clientRegisteredItself)
            #expect(error.redirectLocation?.hasPrefix(ProviderHarness.callback + "?error=invalid_target") == true)
        }
        let denied = AuthorizationError(.accessDenied, description: "The user denied the request", redirectURI: "https://evil.example/phish", state: "s")
        #expect(denied.redirectLocation?.hasPrefix("https://evil.example/phish?error=access_denied") == true)
    }

    @Test("a client record without a registration source (written by the anchor) counts as self-registered")
    func unknownSourceIsUntrusted() async throws {
        let harness = try ProviderHarness()
        try await harness.kv.put(
            "client:legacy",
            #"{"clientId":"legacy","redirectUris":["https://legacy.example/cb"],"tokenEndpointAuthMethod":"none","responseTypes":["code"]}"#
        )
        let bad = Self.request([("client_id", "legacy"), ("redirect_uri", "https://legacy.example/cb"), ("response_type", "token")])
        do {
            _ = try await harness.helpers.parseAuthRequest(bad)
            Issue.record("expected an AuthorizationError")
        } catch let error as AuthorizationError {
            #expect(error.redirectLocation == nil)
        }
    }
}
