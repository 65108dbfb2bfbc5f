import Foundation
import HTTPTypes
import JWTKit
import Testing
import WorkersRuntime
import WorkersTesting

extension ConformanceFixtureTests {
    @Test("--access-token-format jwt: /mcp gets RFC 9068 JWTs, verifiable with the served JWK Set and accepted at /mcp")
    func jwtAccessTokenFormat() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let client = TestClient()
        let (token, api, metadata, jwks) = try await Self.withFixture(["--access-token-format", "jwt"]) { fixture in
            let registered = try await client.send(
                .post, fixture.url("/__fixture/clients"), body: #"{"token_endpoint_auth_method":"none","redirect_uris":["\#(Self.callback)"]}"#
            )
            let clientID = try #require(registered.json?["client_id"]?.stringValue)
            let authorize = try await Self.authorize(fixture, clientID: clientID)
            let code = try #require(authorize.location?.queryItems?.first { $0.name == "code" }?.value)
            let token = try await client.postForm(fixture.url("/oauth/token"), [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.callback),
                ("code_verifier", Self.verifier), ("client_id", clientID),
            ])
            let jwt = token.json?["access_token"]?.stringValue ?? ""
            let api = try await client.send(.get, fixture.url("/mcp"), headers: [("Authorization", "Bearer \(jwt)")])
            let metadata = try await client.send(.get, fixture.url("/.well-known/oauth-authorization-server"))
            let jwks = try await client.send(.get, fixture.url("/.well-known/jwks.json"))
            return (token, api, metadata, jwks)
        }
        let jwt = try #require(token.json?["access_token"]?.stringValue)

        #expect(token.status == 200, "\(token.text)")
        #expect(jwt.split(separator: ".").count == 3)
        #expect(api.status == 200)
        #expect(api.json?["props"]?["subject"] == "conformance-user")
        #expect(metadata.json?["jwks_uri"] == .string("\(Self.origin)/.well-known/jwks.json"))
        struct Claims: JWTPayload {
            let iss: String
            let aud: String
            let sub: String
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let claims = try await JWTKeyCollection().add(jwksJSON: jwks.text).verify(jwt, as: Claims.self)
        #expect(claims.iss == Self.origin)
        #expect(claims.aud == "\(Self.origin)/mcp")
        #expect(claims.sub == "conformance-user")
    }
}
