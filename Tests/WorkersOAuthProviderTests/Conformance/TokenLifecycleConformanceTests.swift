import Foundation
import HTTPTypes
import Testing
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// Port of the anchor's conformance/token-lifecycle.test.ts, run in process and over a live socket.
@Suite struct TokenLifecycleConformanceTests {
    @Test(arguments: MCPRevision.all, TestMode.allCases)
    func rotatesRefreshTokensAllowingOneRetryWithThePrevious(revision: String, mode: TestMode) async throws {
        try await ConformanceHarness.test(mode, revision: revision) { harness in
            let client = try await harness.createClient("none")
            let rt0 = try #require(try await harness.tokens(client, scope: "mcp:read mcp:write")["refresh_token"]?.stringValue)

            let first = try await harness.refresh(client, rt0, scope: "mcp:read")
            #expect(first.status == 200)
            #expect(first.header("Cache-Control") == "no-store")
            #expect(first.json?["scope"] == "mcp:read")
            let rt1 = try #require(first.json?["refresh_token"]?.stringValue)
            #expect(rt1 != rt0)

            let retry = try await harness.refresh(client, rt0)
            #expect(retry.status == 200)
            let rt2 = try #require(retry.json?["refresh_token"]?.stringValue)
            #expect(try await harness.refresh(client, rt2).status == 200)
            let stale = try await harness.refresh(client, rt0)
            #expect(stale.status == 400)
            #expect(stale.error == "invalid_grant")
        }
    }

    @Test(arguments: MCPRevision.all, TestMode.allCases)
    func allowsDownscopingButNotExpansion(revision: String, mode: TestMode) async throws {
        try await ConformanceHarness.test(mode, revision: revision) { harness in
            let client = try await harness.createClient("none")
            let code = try await harness.authorizeCode(client, scope: "mcp:read mcp:write")
            var pairs = [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", ConformanceHarness.callback),
                ("code_verifier", ConformanceHarness.verifier), ("scope", "mcp:read mcp:admin"),
            ]
            if let resource = harness.clientResource { pairs.append(("resource", resource)) }
            let response = try await harness.tokenRequest(client, pairs)
            #expect(response.status == 200)
            #expect(response.json?["scope"] == "mcp:read")
        }
    }

    @Test(arguments: MCPRevision.all, TestMode.allCases)
    func rejectsMismatchedMethodBeforeRevocation(revision: String, mode: TestMode) async throws {
        try await ConformanceHarness.test(mode, revision: revision) { harness in
            let client = try await harness.createClient("client_secret_basic")
            let token = try #require(try await harness.tokens(client)["access_token"]?.stringValue)
            let mismatched = try await harness.revoke(client, token, as: "client_secret_post")
            #expect(mismatched.status == 401)
            #expect(mismatched.json == ["error": "invalid_client", "error_description": "Client authentication failed"])
            #expect(try await harness.callAPI(token: token).status == 200)
            #expect(try await harness.revoke(client, token, hint: "access_token").status == 200)
            #expect(try await harness.callAPI(token: token).status == 401)
        }
    }

    @Test(arguments: MCPRevision.all, TestMode.allCases)
    func revokesAccessTokenWithoutItsRefreshToken(revision: String, mode: TestMode) async throws {
        try await ConformanceHarness.test(mode, revision: revision) { harness in
            let client = try await harness.createClient("none")
            let tokens = try await harness.tokens(client)
            let access = try #require(tokens["access_token"]?.stringValue)
            #expect(try await harness.revoke(client, access).status == 200)
            let api = try await harness.callAPI(token: access)
            #expect(api.status == 401)
            #expect(api.header("WWW-Authenticate")?.contains("error=\"invalid_token\"") == true)
            let refreshed = try await harness.refresh(client, try #require(tokens["refresh_token"]?.stringValue))
            #expect(refreshed.status == 200)
            #expect(refreshed.json?["access_token"]?.stringValue != nil)
        }
    }

    @Test(arguments: MCPRevision.all, TestMode.allCases)
    func revokesTheGrantWhenARefreshTokenIsRevoked(revision: String, mode: TestMode) async throws {
        try await ConformanceHarness.test(mode, revision: revision) { harness in
            let client = try await harness.createClient("none")
            let tokens = try await harness.tokens(client)
            let refresh = try #require(tokens["refresh_token"]?.stringValue)
            #expect(try await harness.revoke(client, refresh, hint: "refresh_token").status == 200)
            #expect(try await harness.callAPI(token: tokens["access_token"]?.stringValue).status == 401)
            let refreshed = try await harness.refresh(client, refresh)
            #expect(refreshed.status == 400)
            #expect(refreshed.error == "invalid_grant")
        }
    }

    @Test(arguments: MCPRevision.all, TestMode.allCases)
    func anotherClientCannotRevokeTokens(revision: String, mode: TestMode) async throws {
        try await ConformanceHarness.test(mode, revision: revision) { harness in
            let owner = try await harness.createClient("none")
            let intruder = try await harness.createClient("none")
            let token = try #require(try await harness.tokens(owner)["access_token"]?.stringValue)
            #expect(try await harness.revoke(intruder, token).status == 200)
            #expect(try await harness.callAPI(token: token).status == 200)
        }
    }

    @Test(arguments: MCPRevision.all, TestMode.allCases)
    func codeReplayRevokesTokensIssuedFromIt(revision: String, mode: TestMode) async throws {
        try await ConformanceHarness.test(mode, revision: revision) { harness in
            let client = try await harness.createClient("none")
            let code = try await harness.authorizeCode(client)
            let first = try await harness.exchange(client, code: code)
            #expect(first.status == 200)
            let replay = try await harness.exchange(client, code: code)
            #expect(replay.status == 400)
            #expect(replay.error == "invalid_grant")
            #expect(try await harness.callAPI(token: first.json?["access_token"]?.stringValue).status == 401)
        }
    }
}
