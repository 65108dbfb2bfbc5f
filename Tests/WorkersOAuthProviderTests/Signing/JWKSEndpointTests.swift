import Foundation
import HTTPTypes
import Logging
import JWTKit
import Testing
import WorkersKV
import WorkersRuntime
import WorkersTesting
@testable import WorkersOAuthProvider

/// The JWK Set endpoint and `jwks_uri`, over a live socket and in process.
@Suite struct JWKSEndpointTests {
    typealias Fixture = SigningKeyStoreTests

    static func provider(signing: AccessTokenSigning? = AccessTokenSigning()) throws(OAuthProviderError) -> OAuthProvider {
        let fallback = FetchHandler { _, _, _ in .text("Not Found\n", status: .notFound) }
        return try OAuthProvider(
            apiRoute: ["/api/"], apiHandler: fallback, defaultHandler: fallback,
            options: .init(tokenEndpoint: "/oauth/token", accessTokenSigning: signing)
        )
    }

    /// An environment with a store of its own: tests run in parallel, and one rotating keys in a shared store would
    /// change what another sees.
    static func freshEnv() -> Env { Env(secrets: Fixture.env.secrets, bindings: ["OAUTH_KV": MemoryKV()]) }

    @Test("GET serves the published public keys, cacheable for a minute, with CORS; jwks_uri points at it", arguments: TestMode.allCases)
    func jwks(mode: TestMode) async throws {
        let provider = try Self.provider()
        let env = Self.freshEnv()
        try await provider.test(mode, env: env) { client in
            let response = try await client.send(.get, "/.well-known/jwks.json", headers: [("Origin", "https://app.example.com")])
            #expect(response.status == 200, "\(response.text)")
            #expect(response.header("Cache-Control") == "public, max-age=60")
            #expect(response.header("Access-Control-Allow-Origin") == "https://app.example.com")
            let keys = try #require(response.json?["keys"]?.arrayValue)
            #expect(keys.count == 1)
            let key = try #require(keys.first?.objectValue)
            #expect(Set(key.keys) == ["kty", "kid", "alg", "use", "crv", "x", "y"], "public parameters only")
            #expect(key["kty"] == "EC" && key["alg"] == "ES256" && key["use"] == "sig" && key["crv"] == "P-256")

            let metadata = try await client.send(.get, "/.well-known/oauth-authorization-server")
            let jwksURI = try #require(metadata.json?["jwks_uri"]?.stringValue)
            #expect(jwksURI == (try client.resolve("/.well-known/jwks.json")).absoluteString)

            for method: HTTPRequest.Method in [.post, .put, .delete] {
                let refused = try await client.send(method, "/.well-known/jwks.json", body: "x")
                #expect(refused.status == 405 && refused.error == "invalid_request" && refused.header("Allow") == "GET")
            }
            #expect(try await client.send(.options, "/.well-known/jwks.json", headers: [("Origin", "https://app.example.com")]).status == 204)
        }
    }

    @Test("a resource server using jwt-kit verifies the provider's JWT with the served JWK Set, after a rotation too")
    func jwksVerifiesTokens() async throws {
        let provider = try Self.provider(signing: AccessTokenSigning(algorithm: .rs256))
        let signingKeys = try #require(provider.components.signingKeys)
        let env = Self.freshEnv()
        let store = try provider.components.store(env)
        try await provider.test(.live, env: env) { client in
            let before = try await signingKeys.sign(Fixture.claims(exp: Int(Date().timeIntervalSince1970) + 300), store: store, env: env)
            _ = try await provider.helpers(env: env).rotateSigningKey()
            let after = try await signingKeys.sign(Fixture.claims(exp: Int(Date().timeIntervalSince1970) + 300), store: store, env: env)
            let jwks = try await client.send(.get, "/.well-known/jwks.json")
            #expect(jwks.json?["keys"]?.arrayValue?.count == 2)
            let collection = try await JWTKeyCollection().add(jwksJSON: jwks.text)
            for jwt in [before, after] {
                let claims = try await collection.verify(jwt, as: AccessTokenClaims.self)
                #expect(claims.sub == "alice")
            }
        }
    }

    @Test("without signing there is no jwks_uri and the path is the default handler's")
    func signingOff() async throws {
        let provider = try Self.provider(signing: nil)
        try await provider.test(.inProcess, env: Self.freshEnv()) { (client: TestClient) async throws in
            #expect(try await client.send(.get, "/.well-known/jwks.json").status == 404)
            #expect(try await client.send(.get, "/.well-known/oauth-authorization-server").json?["jwks_uri"] == nil)
        }
    }

    @Test("a missing secret is an opaque 500 at the JWK Set, never a key stored unencrypted")
    func missingSecret() async throws {
        let kv = MemoryKV()
        let env = Env(bindings: ["OAUTH_KV": kv])
        let response = try await Self.provider().test(.inProcess, env: env) { try await $0.send(.get, "/.well-known/jwks.json") }
        #expect(response.status == 500 && response.error == "server_error")
        #expect(try await kv.getEntry(SigningKeySet.key) == nil)
    }

    @Test("invalid signing options are refused at construction, naming the option")
    func validation() {
        for (signing, expected) in [
            (AccessTokenSigning(lifetime: 59), "accessTokenSigning.lifetime"),
            (AccessTokenSigning(jwksEndpoint: "jwks.json"), "accessTokenSigning.jwksEndpoint"),
            (AccessTokenSigning(jwksEndpoint: "/jwks?x=1"), "accessTokenSigning.jwksEndpoint"),
            (AccessTokenSigning(jwksEndpoint: "/oauth/token"), "accessTokenSigning.jwksEndpoint"),
            (AccessTokenSigning(algorithm: SigningAlgorithm(rawValue: "HS256")), "accessTokenSigning.algorithm"),
            (AccessTokenSigning(encryptionKeyName: ""), "accessTokenSigning.encryptionKeyName"),
            (AccessTokenSigning(keyRefreshInterval: .zero), "accessTokenSigning.keyRefreshInterval"),
        ] {
            #expect(throws: OAuthProviderError.self) { try Self.provider(signing: signing) }
            do { _ = try Self.provider(signing: signing) } catch { #expect(error.message.contains(expected), "\(error)") }
        }
    }
}
