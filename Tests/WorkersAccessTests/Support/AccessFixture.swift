import Crypto
import CryptoExtras
import Foundation
import HTTPTypes
import JWTKit
import Synchronization
import WorkersAccess
import WorkersRuntime
import WorkersServer
import WorkersTesting

/// Keys generated once per test run: two RSA keys (current and next, for rotation), one P-256 key.
enum TestKeys {
    static let rsa = try! JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
    static let rsaNext = try! JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
    static let ec = try! ES256PrivateKey(backing: P256.Signing.PrivateKey())

    /// The public JWK of an RSA key, as a JWK Set entry.
    static func jwk(rsa key: JWTKit.Insecure.RSA.PrivateKey, kid: String) -> JSONValue {
        let primitives = try! key.publicKey.getKeyPrimitives()
        return [
            "kty": "RSA", "alg": "RS256", "use": "sig", "kid": .string(kid),
            "n": .string(primitives.modulus.base64URLEncodedString()),
            "e": .string(primitives.publicExponent.base64URLEncodedString()),
        ]
    }

    /// The public JWK of a P-256 key, without `alg` (the guard infers ES256 from `crv`).
    static func jwk(ec key: ES256PrivateKey, kid: String) -> JSONValue {
        let parameters = key.parameters!
        return ["kty": "EC", "crv": "P-256", "kid": .string(kid), "x": .string(parameters.x), "y": .string(parameters.y)]
    }

    /// A JWK Set document.
    static func jwks(_ keys: [JSONValue]) -> JSONValue { ["keys": .array(keys)] }
}

/// The claims a test assertion carries; every field optional so tests can leave any out.
struct TestClaims: JWTPayload {
    var iss: String? = AccessFixture.issuer
    var aud: JSONValue? = [.string(AccessFixture.audience)]
    var exp: Int? = AccessFixture.epoch + 300
    var nbf: Int? = AccessFixture.epoch - 5
    var iat: Int? = AccessFixture.epoch - 5
    var sub: String? = "7335d417-61da-459d-899c-0a01c76a2f94"
    var email: String? = "ada@example.com"
    var commonName: String? = nil
    var type: String? = "app"
    var identityNonce: String? = "6ei69kawdKzMIAPF"

    enum CodingKeys: String, CodingKey {
        case iss, aud, exp, nbf, iat, sub, email, type
        case commonName = "common_name"
        case identityNonce = "identity_nonce"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// A JWK Set server on a real loopback socket, counting requests, whose key set a test can swap (rotation).
final class JWKSServer: Sendable {
    /// What the server serves, and how often it was asked.
    final class State: Sendable {
        let jwks: Mutex<JSONValue>
        let requests = Atomic(0)
        init(_ jwks: JSONValue) { self.jwks = Mutex(jwks) }
    }

    let live: LiveServer
    let state: State

    private init(live: LiveServer, state: State) {
        self.live = live
        self.state = state
    }

    /// Starts serving `jwks` at `/cdn-cgi/access/certs`.
    static func start(serving jwks: JSONValue) async throws -> JWKSServer {
        let state = State(jwks)
        let worker = Worker { request, _, _ in
            guard request.path == "/cdn-cgi/access/certs" else { return Response(status: .notFound) }
            state.requests.add(1, ordering: .sequentiallyConsistent)
            return try Response.json(state.jwks.withLock { $0 })
        }
        let live = try await LiveServer.start(worker: worker)
        return JWKSServer(live: live, state: state)
    }

    /// The key set URL.
    var url: URL { live.url("/cdn-cgi/access/certs") }
    /// Requests served so far.
    var requestCount: Int { state.requests.load(ordering: .sequentiallyConsistent) }

    /// Serves `jwks` from now on.
    func serve(_ jwks: JSONValue) { state.jwks.withLock { $0 = jwks } }

    func stop() async throws { try await live.stop() }
}

/// Shared constants and helpers for building guards and assertions.
enum AccessFixture {
    static let issuer = "https://myteam.cloudflareaccess.com"
    static let audience = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2"
    /// The fixed "now" of every test clock.
    static let epoch = 1_800_000_000
    static var epochDate: Date { Date(timeIntervalSince1970: TimeInterval(epoch)) }

    /// A guard for `server`, on `clock`, fetching over real sockets (a stopped server refuses the connection at once; the deadline only bounds a hung one, and is generous so a loaded CI machine does not turn a slow fetch into a failure).
    static func makeGuard(
        _ server: JWKSServer,
        clock: TestClock,
        cookieName: String? = "CF_Authorization"
    ) throws -> AccessAssertionGuard {
        var configuration = AccessAssertionGuard.Configuration(
            jwksURL: server.url,
            issuer: issuer,
            audiences: [audience]
        )
        configuration.cookieName = cookieName
        return try AccessAssertionGuard(
            configuration: configuration,
            fetcher: HTTPClientFetcher(timeout: .seconds(15)),
            now: { clock.now }
        )
    }

    /// `claims` signed with the RSA key `key` under `kid`.
    static func sign(_ claims: TestClaims = TestClaims(), rsa key: JWTKit.Insecure.RSA.PrivateKey = TestKeys.rsa, kid: String = "rsa-1")
        async throws -> String
    {
        let keys = await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// `claims` signed with the P-256 key under `kid`.
    static func sign(_ claims: TestClaims = TestClaims(), ec key: ES256PrivateKey, kid: String) async throws -> String {
        let keys = await JWTKeyCollection().add(ecdsa: key, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// A request carrying `assertion` in the Access header.
    static func request(assertion: String?, header: String = "Cf-Access-Jwt-Assertion") throws -> Request {
        var request = try Request(url: "https://app.example.com/mcp")
        if let assertion { request.headers[HTTPField.Name(header)!] = assertion }
        return request
    }
}

extension GuardDecision {
    /// The props of an `.allow`, or `nil`.
    var allowedProps: JSONValue?? {
        if case .allow(let props, _) = self { return .some(props) }
        return nil
    }

    /// The response of a `.deny`, or `nil`.
    var deniedResponse: Response? {
        if case .deny(let response) = self { return response }
        return nil
    }
}
