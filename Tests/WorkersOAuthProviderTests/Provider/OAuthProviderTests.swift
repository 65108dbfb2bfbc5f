import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

@Suite struct OAuthProviderTests {
    static let handler = FetchHandler { _, _, _ in Response.text("ok") }

    func makeProvider(_ options: OAuthProvider.Options) throws(OAuthProviderError) -> OAuthProvider {
        try OAuthProvider(apiRoute: ["/api"], apiHandler: Self.handler, defaultHandler: Self.handler, options: options)
    }

    @Test func invalidOptionsFailAtConstructionNamingTheOption() {
        func message(_ options: OAuthProvider.Options) -> String? {
            do { _ = try makeProvider(options); return nil } catch { return error.message }
        }
        #expect(message(.init(accessTokenTTL: 59))?.contains("accessTokenTTL") == true)
        #expect(message(.init(refreshTokenTTL: .seconds(30)))?.contains("refreshTokenTTL") == true)
        #expect(message(.init(scopesSupported: ["read", "read"]))?.contains("scopesSupported") == true)
        #expect(message(.init(scopesSupported: ["bad scope"]))?.contains("scopesSupported") == true)
        #expect(message(.init(tokenEndpoint: "token"))?.contains("tokenEndpoint") == true)
        #expect(message(.init(tokenEndpoint: "http://auth.example.com/token"))?.contains("https") == true)
        #expect(message(.init(resourceMetadata: ResourceMetadata(resource: "https://a.example/mcp#x")))?.contains("resource") == true)
        #expect(message(.init(resourceMetadata: ResourceMetadata(resource: "http://a.example/mcp")))?.contains("https") == true)
        #expect(
            message(.init(resourceMetadata: ResourceMetadata(bearerMethodsSupported: ["query"])))?
                .contains("bearer_methods_supported") == true
        )
        #expect(message(.init(tokenEndpoint: "http://127.0.0.1:8787/token")) == nil)
        #expect(message(.init(refreshTokenTTL: .seconds(0))) == nil)
        #expect(throws: OAuthProviderError.self) {
            try OAuthProvider(apiHandlers: [:], defaultHandler: Self.handler, options: .init())
        }
    }

    @Test func routesMatchOnAPathBoundary() async throws {
        let harness = try ProviderHarness(apiRoutes: ["/api"])
        #expect(try await harness.callAPI("/api", token: nil).status == 401)
        #expect(try await harness.callAPI("/api/deeper", token: nil).status == 401)
        let sibling = try await harness.callAPI("/apix", token: nil)
        #expect(sibling.status == 200)
        #expect(sibling.text.hasPrefix("default /apix"))
    }

    @Test func aValidTokenDoesNotLeakIntoASiblingPrefix() async throws {
        let harness = try ProviderHarness(apiRoutes: ["/api"])
        let client = try await harness.register()
        let token = try #require(try await harness.issue(client)["access_token"]?.stringValue)
        let sibling = try await harness.callAPI("/apix", token: token)
        #expect(sibling.text.hasPrefix("default"))
        let api = try await harness.callAPI("/api/deeper", token: token)
        #expect(api.json?["props"] == ["login": "alice"])
        #expect(api.json?["path"] == "/api/deeper")
    }

    @Test func fullURLRoutesAlsoMatchTheHost() async throws {
        let harness = try ProviderHarness(apiRoutes: ["https://api.example.com/v1"])
        #expect(try await harness.callAPI("https://api.example.com/v1/items", token: nil).status == 401)
        #expect(try await harness.callAPI("https://other.example.com/v1/items", token: nil).status == 200)
        #expect(try await harness.callAPI("https://api.example.com/v10", token: nil).status == 200)
    }

    @Test func fullURLTokenEndpointMatchesHostAndPathAndSetsTheIssuer() async throws {
        let harness = try ProviderHarness { $0.tokenEndpoint = "https://login.example.com/oauth/token" }
        let metadata = try await harness.client.send(.get, "/.well-known/oauth-authorization-server").json
        #expect(metadata?["issuer"] == "https://login.example.com")
        #expect(metadata?["token_endpoint"] == "https://login.example.com/oauth/token")
        let onOtherHost = try await harness.client.postForm("https://auth.example.com/oauth/token", [("grant_type", "x")])
        #expect(onOtherHost.text.hasPrefix("default"))
        let onTokenHost = try await harness.client.postForm("https://login.example.com/oauth/token", [("grant_type", "x")])
        #expect(onTokenHost.status == 401)
    }

    @Test(arguments: ["Bearer", "bearer", "BEARER", "bEaReR"])
    func bearerSchemeIsCaseInsensitive(scheme: String) async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let token = try #require(try await harness.issue(client)["access_token"]?.stringValue)
        let response = try await harness.callAPI(token: token, scheme: scheme)
        #expect(response.status == 200)
        #expect(response.json?["helpers"] == true)
    }

    @Test func twoAuthorizationFieldsAreAnInvalidTokenEvenIfOneIsValid() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let token = try #require(try await harness.issue(client)["access_token"]?.stringValue)
        let response = try await harness.client.send(
            .get, "/api", headers: [("Authorization", "Bearer \(token)"), ("Authorization", "Bearer other")]
        )
        #expect(response.status == 401)
        #expect(response.json?["error"] == "invalid_token")
    }

    @Test func helpersAreInstalledForTheDefaultHandlerAndAvailableOutside() async throws {
        let harness = try ProviderHarness()
        let response = try await harness.client.send(.get, "/anything")
        #expect(response.text == "default /anything helpers=true")
        let env = makeEnv(kv: MemoryKV())
        #expect(throws: OAuthProviderError.self) { try OAuthProvider.helpers(env: Env(), options: .init()) }
        _ = try OAuthProvider.helpers(env: env, options: .init())
    }

    @Test func corsIsAddedToProviderEndpointsOnlyWhenOriginIsPresent() async throws {
        let harness = try ProviderHarness()
        let withOrigin = try await harness.client.send(
            .get, "/.well-known/oauth-authorization-server", headers: [("Origin", "https://app.example.com")]
        )
        #expect(withOrigin.header("Access-Control-Allow-Origin") == "https://app.example.com")
        #expect(withOrigin.header("Access-Control-Expose-Headers")?.contains("WWW-Authenticate") == true)
        let without = try await harness.client.send(.get, "/.well-known/oauth-authorization-server")
        #expect(without.header("Access-Control-Allow-Origin") == nil)
        let challenge = try await harness.client.send(.get, "/api", headers: [("Origin", "https://app.example.com")])
        #expect(challenge.status == 401)
        #expect(challenge.header("Access-Control-Allow-Origin") == "https://app.example.com")
        let preflight = try await harness.client.send(.options, "/oauth/token", headers: [("Origin", "https://app.example.com")])
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Headers") == "Authorization, *")
        let defaultRoute = try await harness.client.send(.get, "/page", headers: [("Origin", "https://app.example.com")])
        #expect(defaultRoute.header("Access-Control-Allow-Origin") == nil)
    }

    @Test func refusesToActAsAPlainHTTPIssuerOnAPublicHost() async throws {
        let harness = try ProviderHarness()
        let insecure = try await harness.client.send(.get, "http://auth.example.com/.well-known/oauth-authorization-server")
        // The client reached a public name over plain http: its request is refused (400), the server has not failed.
        #expect(insecure.status == 400)
        #expect(insecure.error == "invalid_request")
        let loopback = try await harness.client.send(.get, "http://127.0.0.1:8787/.well-known/oauth-authorization-server")
        #expect(loopback.status == 200)
        #expect(loopback.json?["issuer"] == "http://127.0.0.1:8787")
    }

    @Test func unexpectedFailuresBecomeAnOpaqueServerError() async throws {
        struct FailingKV: KVAtomicNamespace {
            struct Boom: Error, CustomStringConvertible { var description: String { "database password is hunter2" } }
            func getEntry(_ key: String) async throws -> KVEntry? { throw Boom() }
            func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws { throw Boom() }
            func delete(_ key: String) async throws { throw Boom() }
            func commit(_ changes: [KVChange], ifUnchanged expected: [String: Data?]) async throws -> Bool { throw Boom() }
            func list(_ options: KVListOptions) async throws -> KVListResult { throw Boom() }
        }
        let harness = try ProviderHarness(kv: FailingKV())
        let response = try await harness.client.postForm("/oauth/token", [("grant_type", "authorization_code"), ("client_id", "c")])
        #expect(response.status == 500)
        #expect(response.json == ["error": "server_error", "error_description": "Internal server error"])
        #expect(!response.text.contains("hunter2"))
        let api = try await harness.callAPI(token: "a:b:c")
        #expect(api.status == 500)
        #expect(!api.text.contains("hunter2"))
    }

    @Test func onErrorObservesAndCanReplaceErrorResponses() async throws {
        let harness = try ProviderHarness { options in
            options.onError = { event in
                guard event.code == "invalid_client" else { return nil }
                return Response.text("replaced \(event.status.code) \(event.internalDetail ?? "-")", status: .unauthorized)
            }
        }
        let client = try await harness.register(.clientSecretBasic)
        let response = try await harness.client.postForm(
            "/oauth/token", [("grant_type", "refresh_token"), ("client_id", client.client.clientID), ("client_secret", client.clientSecret!)]
        )
        #expect(response.text.hasPrefix("replaced 401 token_endpoint_auth_method_mismatch"))
        let untouched = try await harness.client.postForm("/oauth/token", [("grant_type", "password"), ("client_id", client.client.clientID)])
        #expect(untouched.status == 401)
    }

    @Test func apiHandlersDispatchByLongestPrefix() async throws {
        let clock = TestClock()
        let kv = MemoryKV(now: clock.nowFunction)
        let provider = try OAuthProvider(
            apiHandlers: [
                "/api": FetchHandler { _, _, _ in Response.text("api") },
                "/api/admin": FetchHandler { _, _, _ in Response.text("admin") },
            ],
            defaultHandler: Self.handler,
            options: .init(tokenEndpoint: "/oauth/token", now: clock.nowFunction)
        )
        let env = makeEnv(kv: kv)
        let helpers = try provider.helpers(env: env)
        let client = try await helpers.createClient(ClientInfo(redirectURIs: ["https://app.example.com/cb"], tokenEndpointAuthMethod: .none))
        let request = Request(
            url: URL(string: "https://auth.example.com/authorize?response_type=code&client_id=\(client.client.clientID)&redirect_uri=https://app.example.com/cb&code_challenge=\(TokenCryptoVectors.s256(ProviderHarness.verifier))&code_challenge_method=S256")!
        )
        let done = try await helpers.completeAuthorization(
            CompleteAuthorizationOptions(request: try await helpers.parseAuthRequest(request), userID: "u", scope: [], props: [:])
        )
        let code = try #require(URLComponents(string: done.redirectTo)?.queryItems?.first { $0.name == "code" }?.value)
        let test = TestClient(handler: provider, env: env, origin: "https://auth.example.com")
        let token = try await test.postForm(
            "/oauth/token",
            [("grant_type", "authorization_code"), ("code", code), ("code_verifier", ProviderHarness.verifier), ("client_id", client.client.clientID)]
        )
        let access = try #require(token.json?["access_token"]?.stringValue, "\(token.text)")
        #expect(try await test.send(.get, "/api/admin/x", headers: [("Authorization", "Bearer \(access)")]).text == "admin")
        #expect(try await test.send(.get, "/api/other", headers: [("Authorization", "Bearer \(access)")]).text == "api")
    }
}
