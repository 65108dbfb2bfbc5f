public import Foundation
import Crypto
import CryptoExtras
import HTTPTypes
import JWTKit
import Synchronization
public import WorkersRuntime

/// A stand-in OAuth authorization server on a real loopback socket, for testing resource servers: it publishes
/// RFC 8414 metadata, a JWK Set at `/.well-known/jwks.json`, answers RFC 7662 introspection at `/oauth/introspect`
/// (`client_secret_basic`), and signs RFC 9068 JWT access tokens with jwt-kit (ES256 by default, `typ` `at+jwt`).
///
/// Its issuer is its own origin (`http://127.0.0.1:<port>`). Tests choose which keys the JWK Set publishes (rotation,
/// removal), what introspection says about a token, and read how often each endpoint was asked.
///
/// ```swift
/// let authorizationServer = try await StandInAuthorizationServer.start()
/// let token = try await authorizationServer.accessToken(subject: "ada", audience: "http://127.0.0.1:8080/mcp")
/// ```
public final class StandInAuthorizationServer: Sendable {
    /// The signing keys it holds, by `kid`: `es-1` and `es-2` (ES256), `rs-1` (RS256).
    public static let keyIDs = ["es-1", "es-2", "rs-1"]

    /// The client id introspection accepts.
    public let clientID: String
    /// Its secret.
    public let clientSecret: String
    private let live: LiveServer
    private let state: State

    final class State: Sendable {
        let published = Mutex<[String]>(["es-1", "rs-1"])
        let answers = Mutex<[String: JSONValue]>([:])
        let jwksHits = Atomic(0)
        let introspectionHits = Atomic(0)
        let metadataHits = Atomic(0)
        let advertiseIntrospection = Atomic(true)
        let advertisedIssuer = Mutex<String?>(nil)
    }

    private init(live: LiveServer, state: State, clientID: String, clientSecret: String) {
        self.live = live
        self.state = state
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    /// Starts the stand-in.
    /// - Parameters:
    ///   - clientID: The client id introspection accepts.
    ///   - clientSecret: Its secret.
    public static func start(clientID: String = "resource-server", clientSecret: String = "rs-secret") async throws
        -> StandInAuthorizationServer
    {
        let state = State()
        let expected = "Basic " + Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
        let worker = Worker { request, _, _ in
            try await Self.answer(request, state: state, expectedAuthorization: expected)
        }
        let live = try await LiveServer.start(worker: worker)
        return StandInAuthorizationServer(live: live, state: state, clientID: clientID, clientSecret: clientSecret)
    }

    /// Its issuer, `http://127.0.0.1:<port>`.
    public var issuer: String { live.baseURL.absoluteString }
    /// The JWK Set URL.
    public var jwksURL: URL { live.url("/.well-known/jwks.json") }
    /// The introspection endpoint.
    public var introspectionURL: URL { live.url("/oauth/introspect") }
    /// Requests for the JWK Set so far.
    public var jwksRequests: Int { state.jwksHits.load(ordering: .sequentiallyConsistent) }
    /// Introspection requests so far.
    public var introspectionRequests: Int { state.introspectionHits.load(ordering: .sequentiallyConsistent) }
    /// Metadata requests so far.
    public var metadataRequests: Int { state.metadataHits.load(ordering: .sequentiallyConsistent) }

    /// Publishes only the keys `kids` (of ``keyIDs``) in the JWK Set from now on.
    public func publish(_ kids: [String]) { state.published.withLock { $0 = kids } }

    /// Whether the metadata advertises `introspection_endpoint` (on by default).
    public func advertiseIntrospection(_ on: Bool) { state.advertiseIntrospection.store(on, ordering: .sequentiallyConsistent) }

    /// Makes the metadata name `issuer` as its issuer instead of its own origin (`nil` restores it): a misconfigured
    /// or impersonating authorization server.
    public func advertiseIssuer(_ issuer: String?) { state.advertisedIssuer.withLock { $0 = issuer } }

    /// Makes introspection of `token` answer `answer` (an `{"active": true, …}` object); unknown tokens are inactive.
    public func introspection(of token: String, answers answer: JSONValue) {
        state.answers.withLock { $0[token] = answer }
    }

    /// Stops serving (its port then refuses connections).
    public func stop() async throws { try await live.stop() }

    /// `claims` signed as a JWT by the key `kid` (`alg` from the key), with `typ` as given.
    /// - Parameters:
    ///   - claims: A JSON object of claims, written as given.
    ///   - kid: One of ``keyIDs``, or another `kid` to name in the header (signed with `es-1`'s key).
    ///   - typ: The `typ` header (`at+jwt`).
    public func sign(_ claims: JSONValue, kid: String = "es-1", typ: String = "at+jwt") async throws -> String {
        let keys = JWTKeyCollection()
        let identifier = JWKIdentifier(string: kid)
        if kid.hasPrefix("rs") {
            await keys.add(rsa: Self.rsa, digestAlgorithm: .sha256, kid: identifier)
        } else {
            await keys.add(ecdsa: kid == "es-2" ? Self.ecNext : Self.ec, kid: identifier)
        }
        var header = JWTHeader()
        header.typ = typ
        return try await keys.sign(StandInClaims(fields: claims), kid: identifier, header: header)
    }

    /// A JWT access token as the contract describes it: `iss` (this issuer), `sub`, `aud`, `client_id`, `scope`,
    /// `iat`, `exp` and `jti`.
    /// - Parameters:
    ///   - subject: `sub`.
    ///   - audience: `aud` (the resource's canonical URI).
    ///   - clientID: `client_id`.
    ///   - scope: `scope` (omitted when empty).
    ///   - issuedAt: `iat`, seconds since the epoch (now by default).
    ///   - lifetime: Seconds until `exp` (300).
    ///   - kid: The signing key.
    public func accessToken(
        subject: String,
        audience: String,
        clientID: String = "mcp-client",
        scope: String = "",
        issuedAt: Int = Int(Date().timeIntervalSince1970),
        lifetime: Int = 300,
        kid: String = "es-1"
    ) async throws -> String {
        try await sign(.object(claims(subject: subject, audience: audience, clientID: clientID, scope: scope, issuedAt: issuedAt, lifetime: lifetime)), kid: kid)
    }

    /// The claims ``accessToken(subject:audience:clientID:scope:issuedAt:lifetime:kid:)`` signs, for tests that
    /// change one.
    public func claims(subject: String, audience: String, clientID: String = "mcp-client", scope: String = "", issuedAt: Int, lifetime: Int = 300)
        -> [String: JSONValue]
    {
        var claims: [String: JSONValue] = [
            "iss": .string(issuer), "sub": .string(subject), "aud": .string(audience), "client_id": .string(clientID),
            "iat": .number(Double(issuedAt)), "exp": .number(Double(issuedAt + lifetime)),
            "jti": .string("grant-1.\(UUID().uuidString.prefix(22))"),
        ]
        if !scope.isEmpty { claims["scope"] = .string(scope) }
        return claims
    }

    // Keys generated once per process.
    static let ec = try! ES256PrivateKey(backing: P256.Signing.PrivateKey())
    static let ecNext = try! ES256PrivateKey(backing: P256.Signing.PrivateKey())
    static let rsa = try! JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))

    /// The public JWK of `kid`.
    static func jwk(_ kid: String) -> JSONValue {
        if kid.hasPrefix("rs") {
            let primitives = try! rsa.publicKey.getKeyPrimitives()
            return [
                "kty": "RSA", "alg": "RS256", "use": "sig", "kid": .string(kid),
                "n": .string(primitives.modulus.base64URLEncodedString()),
                "e": .string(primitives.publicExponent.base64URLEncodedString()),
            ]
        }
        let parameters = (kid == "es-2" ? ecNext : ec).parameters!
        return [
            "kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": .string(kid),
            "x": .string(parameters.x), "y": .string(parameters.y),
        ]
    }

    static func answer(_ request: Request, state: State, expectedAuthorization: String) async throws -> Response {
        switch request.path {
        case "/.well-known/oauth-authorization-server":
            state.metadataHits.add(1, ordering: .sequentiallyConsistent)
            var document: [String: JSONValue] = [
                "issuer": .string(state.advertisedIssuer.withLock { $0 } ?? request.origin),
                "token_endpoint": .string(request.origin + "/oauth/token"),
                "jwks_uri": .string(request.origin + "/.well-known/jwks.json"),
                "response_types_supported": ["code"],
            ]
            if state.advertiseIntrospection.load(ordering: .sequentiallyConsistent) {
                document["introspection_endpoint"] = .string(request.origin + "/oauth/introspect")
            }
            return try Response.json(JSONValue.object(document))
        case "/.well-known/jwks.json":
            state.jwksHits.add(1, ordering: .sequentiallyConsistent)
            let kids = state.published.withLock { $0 }
            return try Response.json(["keys": .array(kids.map(jwk))] as JSONValue)
        case "/oauth/introspect":
            state.introspectionHits.add(1, ordering: .sequentiallyConsistent)
            guard request.method == .post, let authorization = request.header("authorization"),
                SecureCompare.equals(authorization, expectedAuthorization)
            else {
                return .oauthError("invalid_client", description: "Client authentication failed", status: .unauthorized)
            }
            guard let token = try? request.form()["token"] else {
                return .oauthError("invalid_request", description: "token is required", status: .badRequest)
            }
            let answer = state.answers.withLock { $0[token] } ?? ["active": false]
            return try Response.json(answer, headers: [.cacheControl: "no-store"])
        default:
            return .oauthError("not_found", description: "No such endpoint", status: .notFound)
        }
    }
}

/// A JWT payload that is any JSON object, written as given.
struct StandInClaims: JWTPayload {
    var fields: JSONValue

    init(fields: JSONValue) { self.fields = fields }
    init(from decoder: any Decoder) throws { fields = try JSONValue(from: decoder) }
    func encode(to encoder: any Encoder) throws { try fields.encode(to: encoder) }
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
