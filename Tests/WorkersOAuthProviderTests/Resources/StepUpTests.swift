import Foundation
import HTTPTypes
import Testing
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// Scopes for one operation: `403 insufficient_scope` naming them, and re-authorization accumulating scopes.
@Suite struct StepUpTests {
    @Test(arguments: TestMode.allCases)
    func anOperationNeedingAScopeTheTokenLacksIsForbidden(mode: TestMode) async throws {
        try await ResourcesHarness.test(mode) { harness in
            let registered = try await harness.publicClient()
            let token = try #require(try await harness.issue(registered, resources: [], scope: "a:read")["access_token"]?.stringValue)
            #expect(try await harness.call("/a", token: token).status == 200)
            let write = try await harness.call("/a/write", token: token)
            #expect(write.status == 403)
            #expect(write.json?["error"]?.stringValue == "insufficient_scope")
            #expect(
                write.header("WWW-Authenticate")
                    == "Bearer realm=\"OAuth\", resource_metadata=\"\(try harness.uri("/.well-known/oauth-protected-resource/a"))\", error=\"insufficient_scope\", scope=\"a:write\""
            )
        }
    }

    @Test func reauthorizingForTheLargerScopeAccumulatesScopes() async throws {
        try await ResourcesHarness.test(.inProcess) { harness in
            let registered = try await harness.publicClient()
            let first = try await harness.issue(registered, resources: [], scope: "a:read")
            #expect(first["scope"]?.stringValue == "a:read")
            // The client asks only for what the challenge named; the grant holds that and what it had.
            let second = try await harness.issue(registered, resources: [], scope: "a:write")
            #expect(second["scope"]?.stringValue == "a:write a:read")
            let token = second["access_token"]?.stringValue
            #expect(try await harness.call("/a/write", token: token).status == 200)
            let grants = try await harness.helpers.listUserGrants("alice").items
            #expect(grants.count == 1)
            #expect(Set(grants[0].scope) == ["a:read", "a:write"])
            // The replaced grant's tokens are revoked.
            #expect(try await harness.call("/a", token: first["access_token"]?.stringValue).status == 401)
        }
    }

    @Test func scopesDoNotAccumulateAcrossResourcesOrClients() async throws {
        try await ResourcesHarness.test(.inProcess) { harness in
            let registered = try await harness.publicClient()
            _ = try await harness.issue(registered, resources: [], scope: "a:write")
            let forB = try await harness.issue(registered, resources: [try harness.uri("/b")], scope: "b:read")
            #expect(forB["scope"]?.stringValue == "b:read")
            let other = try await harness.publicClient()
            let otherA = try await harness.issue(other, resources: [], scope: "a:read")
            #expect(otherA["scope"]?.stringValue == "a:read")
        }
    }

    @Test func withoutAnAccessTokenRequireScopesRefuses() throws {
        let ctx = ExecutionContext()
        #expect(throws: InsufficientScopeError(requiredScopes: ["x"])) { try ctx.requireScopes(["x"]) }
        let admitted = ctx.with(props: nil, accessToken: AccessTokenInfo(clientID: "c", scopes: ["x", "y"]))
        #expect(throws: Never.self) { try admitted.requireScopes(["y", "x"]) }
        #expect(throws: InsufficientScopeError(requiredScopes: ["x", "z"])) { try admitted.requireScopes(["x", "z"]) }
    }
}
