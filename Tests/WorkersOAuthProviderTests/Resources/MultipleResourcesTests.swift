import Foundation
import HTTPTypes
import Testing
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// One authorization server, several resources: tokens bound to exactly one, per-resource metadata and challenges.
@Suite struct MultipleResourcesTests {
    @Test(arguments: TestMode.allCases)
    func aTokenForOneResourceIsRefusedByAnother(mode: TestMode) async throws {
        try await ResourcesHarness.test(mode) { harness in
            let registered = try await harness.publicClient()
            let forB = try await harness.issue(registered, resources: [try harness.uri("/b")], scope: "b:read")
            #expect(forB["resource"]?.stringValue == (try harness.uri("/b")))
            let token = try #require(forB["access_token"]?.stringValue)

            let atB = try await harness.call("/b", token: token)
            #expect(atB.status == 200)
            #expect(atB.json?["resource"]?.stringValue == (try harness.uri("/b")))
            #expect(atB.json?["scopes"]?.stringArray == ["b:read"])
            #expect(atB.json?["client_id"]?.stringValue == registered.client.clientID)
            #expect(atB.json?["subject"]?.stringValue == "alice")

            let atA = try await harness.call("/a", token: token)
            #expect(atA.status == 401)
            #expect(atA.json?["error"]?.stringValue == "invalid_token")
            let challenge = try #require(atA.header("WWW-Authenticate"))
            #expect(challenge.contains("error=\"invalid_token\""))
            #expect(challenge.contains("resource_metadata=\"\(try harness.uri("/.well-known/oauth-protected-resource/a"))\""))
        }
    }

    @Test(arguments: TestMode.allCases)
    func withoutAResourceTheTokenIsForTheFirst(mode: TestMode) async throws {
        try await ResourcesHarness.test(mode) { harness in
            let registered = try await harness.publicClient()
            let issued = try await harness.issue(registered, resources: [], scope: "a:read")
            let token = try #require(issued["access_token"]?.stringValue)
            #expect(try await harness.call("/a", token: token).status == 200)
            #expect(try await harness.call("/b", token: token).status == 401)
        }
    }

    @Test func eachResourceHasItsOwnMetadataAndChallenge() async throws {
        try await ResourcesHarness.test(.live) { harness in
            let a = try await harness.client.send(.get, "/.well-known/oauth-protected-resource/a")
            #expect(a.status == 200)
            #expect(a.json?["resource"]?.stringValue == (try harness.uri("/a")))
            #expect(a.json?["scopes_supported"]?.stringArray == ["a:read", "a:write"])
            #expect(a.json?["resource_name"]?.stringValue == "Resource A")
            #expect(a.json?["authorization_servers"]?.stringArray == [try harness.origin()])

            let b = try await harness.client.send(.get, "/.well-known/oauth-protected-resource/b")
            #expect(b.json?["resource"]?.stringValue == (try harness.uri("/b")))
            #expect(b.json?["scopes_supported"]?.stringArray == ["b:read"])

            let unknown = try await harness.client.send(.get, "/.well-known/oauth-protected-resource/c")
            #expect(unknown.status == 404)
            #expect(unknown.json?["error"]?.stringValue == "invalid_request")

            // A request below a resource's route names the resource's own document, and its scopes.
            let bare = try await harness.call("/b/deeper", token: nil)
            #expect(bare.status == 401)
            #expect(
                bare.header("WWW-Authenticate")
                    == "Bearer realm=\"OAuth\", resource_metadata=\"\(try harness.uri("/.well-known/oauth-protected-resource/b"))\", scope=\"b:read\""
            )

            let server = try await harness.client.send(.get, "/.well-known/oauth-authorization-server")
            #expect(server.json?["scopes_supported"]?.stringArray == ["a:read", "a:write", "b:read", "notes:read"])
        }
    }

    @Test(arguments: TestMode.allCases)
    func aRemoteResourceGetsTokensThatNoLocalRouteAccepts(mode: TestMode) async throws {
        try await ResourcesHarness.test(mode) { harness in
            let registered = try await harness.publicClient()
            let issued = try await harness.issue(registered, resources: [ResourcesHarness.remote], scope: "notes:read a:read")
            #expect(issued["resource"]?.stringValue == ResourcesHarness.remote)
            // Scopes of other resources are not granted for this one.
            #expect(issued["scope"]?.stringValue == "notes:read")
            let token = try #require(issued["access_token"]?.stringValue)
            #expect(try await harness.call("/a", token: token).status == 401)
            #expect(try await harness.call("/b", token: token).status == 401)
        }
    }

    @Test func anAuthorizationNamesAtMostOneResource() async throws {
        try await ResourcesHarness.test(.inProcess) { harness in
            let registered = try await harness.publicClient()
            await #expect(throws: AuthorizationError.self) {
                _ = try await harness.authorize(registered, resources: [try harness.uri("/a"), try harness.uri("/b")], scope: "a:read")
            }
            let error = await #expect(throws: AuthorizationError.self) {
                _ = try await harness.authorize(registered, resources: ["https://elsewhere.example.com/mcp"], scope: "a:read")
            }
            #expect(error?.code == .invalidTarget)
        }
    }

    @Test func theTokenEndpointKeepsTheGrantsResource() async throws {
        try await ResourcesHarness.test(.inProcess) { harness in
            let registered = try await harness.publicClient()
            let code = try await harness.authorize(registered, resources: [try harness.uri("/a")], scope: "a:read")
            // Asking for another resource than the one authorized is refused, and the code stays usable.
            let moved = try await harness.exchange(registered, code: code, resource: try harness.uri("/b"))
            #expect(moved.status == 400)
            #expect(moved.json?["error"]?.stringValue == "invalid_target")
            let kept = try await harness.exchange(registered, code: code, resource: try harness.uri("/a"))
            #expect(kept.status == 200)
            #expect(kept.json?["resource"]?.stringValue == (try harness.uri("/a")))
        }
    }

    @Test func reauthorizingForOneResourceKeepsTheOthersGrant() async throws {
        try await ResourcesHarness.test(.inProcess) { harness in
            let registered = try await harness.publicClient()
            let forA = try await harness.issue(registered, resources: [try harness.uri("/a")], scope: "a:read")
            let forB = try await harness.issue(registered, resources: [try harness.uri("/b")], scope: "b:read")
            #expect(try await harness.call("/a", token: forA["access_token"]?.stringValue).status == 200)
            #expect(try await harness.call("/b", token: forB["access_token"]?.stringValue).status == 200)
            let grants = try await harness.helpers.listUserGrants("alice").items
            #expect(Set(grants.compactMap(\.resource?.first)) == [try harness.uri("/a"), try harness.uri("/b")])
        }
    }

    @Test func resourcesAreValidated() throws {
        let handler = FetchHandler { _, _, _ in Response.text("") }
        #expect(throws: OAuthProviderError.self) {
            try OAuthProvider(resources: [], defaultHandler: handler, options: .init())
        }
        #expect(throws: OAuthProviderError.self) {
            try OAuthProvider(resources: [.init(uri: "/a"), .init(uri: "/a")], defaultHandler: handler, options: .init())
        }
        #expect(throws: OAuthProviderError.self) {
            try OAuthProvider(resources: [.init(uri: "http://notes.example.com/mcp")], defaultHandler: handler, options: .init())
        }
        #expect(throws: OAuthProviderError.self) {
            try OAuthProvider(resources: [.init(uri: "/a", scopes: ["bad scope"])], defaultHandler: handler, options: .init())
        }
    }
}
