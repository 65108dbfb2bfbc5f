import Crypto
import Foundation
import HTTPTypes
import JWTKit
import WorkersRuntime

/// An authorization server answered in process (no socket), as a ``Fetcher``: RFC 8414 metadata and a JWK Set with
/// one ES256 key, and JWT access tokens signed as the contract says. Only for the benchmark's figures.
final class InProcessAuthorizationServer: Fetcher {
    static let issuer = "https://as.bench.example"
    static let resource = "https://rs.bench.example/mcp"

    private let key = try! ES256PrivateKey(backing: P256.Signing.PrivateKey())
    private let keys = JWTKeyCollection()

    func fetch(_ request: Request) async throws -> Response {
        switch request.url.path {
        case "/.well-known/oauth-authorization-server":
            return try .json(["issuer": .string(Self.issuer), "jwks_uri": .string(Self.issuer + "/.well-known/jwks.json")] as JSONValue)
        case "/.well-known/jwks.json":
            let parameters = key.parameters!
            let jwk: JSONValue = [
                "kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": "bench-1",
                "x": .string(parameters.x), "y": .string(parameters.y),
            ]
            return try .json(["keys": [jwk]] as JSONValue)
        default:
            return Response(status: .notFound)
        }
    }

    /// A JWT access token for `sub` `bench`, valid for an hour.
    func accessToken(jti: String) async throws -> String {
        await keys.add(ecdsa: key, kid: "bench-1")
        let now = Int(Date().timeIntervalSince1970)
        var header = JWTHeader()
        header.typ = "at+jwt"
        return try await keys.sign(
            BenchClaims(
                iss: Self.issuer, sub: "bench", aud: Self.resource, client_id: "bench-client", scope: "notes:read",
                exp: now + 3600, iat: now, jti: "grant.\(jti)"
            ),
            kid: "bench-1",
            header: header
        )
    }
}

struct BenchClaims: JWTPayload {
    var iss: String
    var sub: String
    var aud: String
    var client_id: String
    var scope: String
    var exp: Int
    var iat: Int
    var jti: String

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
