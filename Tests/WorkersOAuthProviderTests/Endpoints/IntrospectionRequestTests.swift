import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// What the introspection endpoint refuses, and how it is configured and advertised; over a live socket, on a real
/// SQLite file.
@Suite("Introspection requests")
struct IntrospectionRequestTests {
    @Test("a public client, no credentials or a wrong secret: 401 invalid_client (Basic challenged when tried)")
    func clientAuthentication() async throws {
        try await IntrospectionServer.with { server in
            let app = try await server.createClient(.none)
            let (access, _) = try await server.issue(app)

            let publicClient = try await server.introspect(access, as: app)
            #expect(publicClient.status == 401)
            #expect(publicClient.error == "invalid_client")
            #expect(publicClient.header("WWW-Authenticate") == nil)
            expectNoStore(publicClient)

            let anonymous = try await server.client.postForm("/oauth/introspect", [("token", access)])
            #expect(anonymous.status == 401)
            #expect(anonymous.error == "invalid_client")
            expectNoStore(anonymous)

            let basic = try await server.createClient(.clientSecretBasic)
            let wrongBasic = try await server.client.postForm(
                "/oauth/introspect", [("token", access)],
                headers: [("Authorization", IntrospectionServer.basic(basic.client.clientID, "wrong"))]
            )
            #expect(wrongBasic.status == 401)
            #expect(wrongBasic.error == "invalid_client")
            #expect(wrongBasic.header("WWW-Authenticate") == "Basic realm=\"OAuth\"")
            expectNoStore(wrongBasic)

            let post = try await server.createClient(.clientSecretPost)
            let wrongPost = try await server.client.postForm(
                "/oauth/introspect", [("token", access), ("client_id", post.client.clientID), ("client_secret", "wrong")]
            )
            #expect(wrongPost.status == 401)
            #expect(wrongPost.error == "invalid_client")
            #expect(wrongPost.header("WWW-Authenticate") == nil)

            // The registered method is enforced: a Basic client cannot post its secret in the body.
            let otherMethod = try await server.client.postForm(
                "/oauth/introspect",
                [("token", access), ("client_id", basic.client.clientID), ("client_secret", basic.clientSecret ?? "")]
            )
            #expect(otherMethod.status == 401)
            #expect(otherMethod.error == "invalid_client")
            #expect(try await server.introspect(access, as: basic).json?["active"] == true)
        }
    }

    @Test("GET is 405; a missing or empty token, a repeated parameter or a JSON body is 400 invalid_request")
    func malformedRequests() async throws {
        try await IntrospectionServer.with { server in
            let resourceServer = try await server.createClient(.clientSecretBasic)
            let authorization = [("Authorization", IntrospectionServer.basic(resourceServer.client.clientID, resourceServer.clientSecret!))]

            let get = try await server.client.send(.get, "/oauth/introspect?token=x", headers: authorization)
            #expect(get.status == 405)
            #expect(get.error == "invalid_request")
            #expect(get.header("Allow") == "POST")
            expectNoStore(get)

            let refusals: [[(String, String)]] = [
                [], [("token", "")], [("token_type_hint", "access_token")],
                [("token", "a:b:c"), ("token", "d:e:f")], [("token", "a:b:c"), ("resource", "https://x"), ("resource", "https://y")],
            ]
            for pairs in refusals {
                let response = try await server.client.postForm("/oauth/introspect", pairs, headers: authorization)
                #expect(response.status == 400, "\(pairs)")
                #expect(response.error == "invalid_request", "\(pairs)")
                expectNoStore(response)
            }
            let json = try await server.client.postJSON("/oauth/introspect", ["token": "a:b:c"], headers: authorization)
            #expect(json.status == 400)
            #expect(json.error == "invalid_request")
            expectNoStore(json)
        }
    }

    @Test("past its rate a client gets 429 temporarily_unavailable with Retry-After; other clients are not affected")
    func rateLimit() async throws {
        try await IntrospectionServer.with(configure: { $0.introspectionRateLimit = RateLimit(requestsPerMinute: 1, burst: 2) }) { server in
            let busy = try await server.createClient(.clientSecretBasic)
            #expect(try await server.introspect("a:b:c", as: busy).status == 200)
            #expect(try await server.introspect("a:b:c", as: busy).status == 200)
            let limited = try await server.introspect("a:b:c", as: busy)
            #expect(limited.status == 429)
            #expect(limited.error == "temporarily_unavailable")
            #expect((limited.header("Retry-After").flatMap(Int.init) ?? 0) > 0)
            expectNoStore(limited)
            #expect(try await server.introspect("a:b:c", as: try await server.createClient(.clientSecretPost)).status == 200)
        }
        #expect(OAuthProvider.Options().introspectionRateLimit == RateLimit(requestsPerMinute: 3000, burst: 300))
    }

    @Test("the metadata advertises the endpoint and its auth methods only when it is on; off, the path is the default handler's")
    func metadata() async throws {
        try await IntrospectionServer.with { server in
            let json = try #require(try await server.client.send(.get, "/.well-known/oauth-authorization-server").json)
            #expect(json["introspection_endpoint"] == .string(server.issuer + "/oauth/introspect"))
            #expect(json["introspection_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post"])
            // CORS like the other endpoints.
            let preflight = try await server.client.send(.options, "/oauth/introspect", headers: [("Origin", "https://rs.example.com")])
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Origin") == "https://rs.example.com")
        }
        try await IntrospectionServer.with(configure: { $0.introspectionEndpoint = nil }) { server in
            let json = try #require(try await server.client.send(.get, "/.well-known/oauth-authorization-server").json)
            #expect(json["introspection_endpoint"] == nil)
            #expect(json["introspection_endpoint_auth_methods_supported"] == nil)
            let resourceServer = try await server.createClient(.clientSecretBasic)
            let response = try await server.introspect("a:b:c", as: resourceServer)
            #expect(response.status == 404)
            #expect(response.text == "default /oauth/introspect")
        }
        try await IntrospectionServer.with(configure: { $0.introspectionEndpoint = "http://127.0.0.1/rfc7662" }) { server in
            let json = try #require(try await server.client.send(.get, "/.well-known/oauth-authorization-server").json)
            #expect(json["introspection_endpoint"] == "http://127.0.0.1/rfc7662")
            let resourceServer = try await server.createClient(.clientSecretBasic)
            let (pairs, headers) = IntrospectionServer.authenticated(resourceServer, [("token", "a:b:c")])
            #expect(try await server.client.postForm("/rfc7662", pairs, headers: headers).json == ["active": false])
        }
    }

    @Test("an onError hook's replacement answer is still never cached")
    func onErrorReplacement() async throws {
        try await IntrospectionServer.with(configure: { $0.onError = { _ in Response.text("custom", status: .badRequest) } }) { server in
            let response = try await server.client.postForm("/oauth/introspect", [("token", "a:b:c")])
            #expect(response.status == 400)
            #expect(response.text == "custom")
            expectNoStore(response)
        }
    }

    @Test("a record the store cannot decode is an opaque 500, with no-store")
    func storeFailure() async throws {
        try await IntrospectionServer.with { server in
            let resourceServer = try await server.createClient(.clientSecretBasic)
            let (_, refresh) = try await server.issue(try await server.createClient(.none))
            let parts = refresh.split(separator: ":").map(String.init)
            try await server.kv.put("grant:\(parts[0]):\(parts[1])", bytes: Data("{not json".utf8), options: KVPutOptions())
            let response = try await server.introspect(refresh, as: resourceServer, extra: [("token_type_hint", "refresh_token")])
            #expect(response.status == 500)
            #expect(response.json == ["error": "server_error", "error_description": "Internal server error"])
            expectNoStore(response)
        }
    }

    @Test("the endpoint must be a path or URL distinct from the token and registration endpoints; its rate at least 1")
    func optionsValidation() {
        let handler = FetchHandler { _, _, _ in Response.text("") }
        for options in [
            OAuthProvider.Options(tokenEndpoint: "/oauth/token", introspectionEndpoint: "/oauth/token"),
            OAuthProvider.Options(clientRegistrationEndpoint: "/register", introspectionEndpoint: "/register"),
            OAuthProvider.Options(introspectionEndpoint: "introspect"),
            OAuthProvider.Options(introspectionEndpoint: "http://as.example.com/introspect"),
            OAuthProvider.Options(introspectionEndpoint: "/introspect", introspectionRateLimit: RateLimit(requestsPerMinute: 0, burst: 1)),
        ] {
            #expect(throws: OAuthProviderError.self) {
                try OAuthProvider(apiRoute: ["/api"], apiHandler: handler, defaultHandler: handler, options: options)
            }
        }
        #expect(OAuthProvider.Options().introspectionEndpoint == nil)
    }
}
