import Crypto
import Foundation
import Logging
import Testing
import WorkersKV
import WorkersRuntime
import WorkersTesting
@testable import WorkersOAuthProvider

/// Sign → verify, and every token verification must refuse: forged algorithms, wrong `typ`, unknown `kid`, expiry,
/// tampering.
@Suite struct SigningKeysVerificationTests {
    typealias Fixture = SigningKeyStoreTests

    /// Signing keys over a fresh store, with the clock they run on.
    struct Setup {
        let clock = TestClock()
        let store = OAuthStore(kv: MemoryKV())
        let keys: SigningKeys

        init(_ algorithm: SigningAlgorithm = .es256) {
            keys = SigningKeys(AccessTokenSigning(algorithm: algorithm), now: clock.nowFunction, logger: .init(label: "test"))
        }

        func sign(_ claims: AccessTokenClaims = Fixture.claims()) async throws -> String {
            try await keys.sign(claims, store: store, env: Fixture.env)
        }

        func verify(_ jwt: String) async throws -> AccessTokenClaims? {
            try await keys.verify(jwt, store: store, env: Fixture.env)
        }

        /// The current key and its decrypted private half.
        func current() async throws -> (key: StoredSigningKey, privateKey: Data) {
            let key = try #require(try await keys.snapshot(store: store, env: Fixture.env).record.current)
            return (key, try SigningKeyCrypto.decrypt(key, secret: Fixture.secret, secretName: "SIGNING_KEY_ENCRYPTION_KEY"))
        }
    }

    static func segment(_ json: String) -> String { Data(json.utf8).base64URLEncodedString() }

    static func segment(_ value: JSONValue) -> String { segment(value.jsonString) }

    /// A JWS over `header` and `payload` signed with the P-256 key `privateKey`.
    static func es256(header: JSONValue, payload: String, privateKey: Data) throws -> String {
        let input = segment(header) + "." + payload
        let signature = try P256.Signing.PrivateKey(rawRepresentation: privateKey).signature(for: Data(input.utf8))
        return input + "." + signature.rawRepresentation.base64URLEncodedString()
    }

    /// A JWS over `header` and `payload` with HMAC-SHA256 under `key`.
    static func hs256(header: JSONValue, payload: String, key: Data) -> String {
        let input = segment(header) + "." + payload
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: key))
        return input + "." + Data(mac).base64URLEncodedString()
    }

    @Test("sign then verify round-trips the claims, with header alg, typ at+jwt and kid", arguments: [SigningAlgorithm.es256, .rs256])
    func roundTrip(algorithm: SigningAlgorithm) async throws {
        let setup = Setup(algorithm)
        let jwt = try await setup.sign()
        #expect(try await setup.verify(jwt) == Fixture.claims())
        let parts = jwt.split(separator: ".")
        let header = try JSONValue(parsing: try #require(Data(base64URLEncoded: parts[0])))
        let current = try await setup.current().key
        #expect(header == ["alg": .string(algorithm.rawValue), "typ": "at+jwt", "kid": .string(current.kid)])
        let payload = try JSONValue(parsing: try #require(Data(base64URLEncoded: parts[1])))
        #expect(Set(payload.objectValue?.keys.map { $0 } ?? []) == ["iss", "sub", "aud", "client_id", "scope", "exp", "iat", "jti"])
        #expect(payload["aud"] == "https://notes.example.com/mcp" && payload["exp"] == 1_800_000_300)

        var unscoped = Fixture.claims()
        unscoped.scope = nil
        let bare = try await setup.sign(AccessTokenClaims(
            iss: unscoped.iss, sub: unscoped.sub, aud: unscoped.aud, client_id: unscoped.client_id, scope: "", exp: unscoped.exp,
            iat: unscoped.iat, jti: unscoped.jti))
        let barePayload = try JSONValue(parsing: try #require(Data(base64URLEncoded: bare.split(separator: ".")[1])))
        #expect(barePayload["scope"] == nil, "an empty scope is omitted")
        #expect(try await setup.verify(bare) == unscoped)
    }

    @Test("alg none is refused, with or without a signature")
    func algNone() async throws {
        let setup = Setup()
        let jwt = try await setup.sign()
        let kid = try await setup.current().key.kid
        let payload = String(jwt.split(separator: ".")[1])
        let header = Self.segment(["alg": "none", "typ": "at+jwt", "kid": .string(kid)])
        #expect(try await setup.verify(header + "." + payload + ".") == nil)
        #expect(try await setup.verify(header + "." + payload) == nil)
        #expect(try await setup.verify(header + "." + payload + "." + String(jwt.split(separator: ".")[2])) == nil)
    }

    @Test("HS256 keyed with the public key's bytes is refused", arguments: [SigningAlgorithm.es256, .rs256])
    func hmacWithPublicKey(algorithm: SigningAlgorithm) async throws {
        let setup = Setup(algorithm)
        let jwt = try await setup.sign()
        let key = try await setup.current().key
        let payload = String(jwt.split(separator: ".")[1])
        let header: JSONValue = ["alg": "HS256", "typ": "at+jwt", "kid": .string(key.kid)]
        var secrets = [try JSONEncoder().encode(key.publicKey)]
        let published = try #require(try await setup.keys.publishedKeys(store: setup.store, env: Fixture.env).first)
        secrets.append(try JSONEncoder().encode(JWKSetDocument(keys: [published])))
        if algorithm == .es256 {
            let x = try #require(Data(base64URLEncoded: key.publicKey.x ?? ""))
            let y = try #require(Data(base64URLEncoded: key.publicKey.y ?? ""))
            let publicKey = try P256.Signing.PublicKey(rawRepresentation: x + y)
            secrets += [Data(publicKey.pemRepresentation.utf8), publicKey.derRepresentation, publicKey.x963Representation]
        } else {
            secrets.append(try #require(Data(base64URLEncoded: key.publicKey.n ?? "")))
        }
        for secret in secrets {
            #expect(try await setup.verify(Self.hs256(header: header, payload: payload, key: secret)) == nil)
        }
    }

    @Test("a token signed by the right key but with a wrong or missing typ, a crit header or another alg is refused")
    func headerChecks() async throws {
        let setup = Setup()
        let (key, privateKey) = try await setup.current()
        let payload = Self.segment(try JSONValue(parsing: try JSONEncoder().encode(Fixture.claims())))
        let kid = JSONValue.string(key.kid)
        // Control: the same construction with the right header verifies.
        let good = try Self.es256(header: ["alg": "ES256", "typ": "at+jwt", "kid": kid], payload: payload, privateKey: privateKey)
        #expect(try await setup.verify(good) == Fixture.claims())
        let mediaType = try Self.es256(header: ["alg": "ES256", "typ": "application/AT+JWT", "kid": kid], payload: payload, privateKey: privateKey)
        #expect(try await setup.verify(mediaType) == Fixture.claims())
        for header: JSONValue in [
            ["alg": "ES256", "typ": "JWT", "kid": kid],
            ["alg": "ES256", "kid": kid],
            ["alg": "ES256", "typ": "at+jwt", "kid": kid, "crit": ["exp"]],
            ["alg": "ES384", "typ": "at+jwt", "kid": kid],
            ["alg": "ES256", "typ": "at+jwt"],
        ] {
            #expect(try await setup.verify(try Self.es256(header: header, payload: payload, privateKey: privateKey)) == nil, "\(header)")
        }
    }

    @Test("a token of a key that is not published here is refused")
    func unknownKid() async throws {
        let setup = Setup(), elsewhere = Setup()
        let foreign = try await elsewhere.sign()
        _ = try await setup.sign()
        #expect(try await setup.verify(foreign) == nil)
        // Its signature is fine: relabelled with our kid it still fails (the signature is not our key's).
        let (key, _) = try await setup.current()
        let parts = foreign.split(separator: ".").map(String.init)
        let relabelled = Self.segment(["alg": "ES256", "typ": "at+jwt", "kid": .string(key.kid)]) + "." + parts[1] + "." + parts[2]
        #expect(try await setup.verify(relabelled) == nil)
    }

    @Test("an expired token is refused; one about to expire verifies")
    func expiry() async throws {
        let setup = Setup()
        let jwt = try await setup.sign(Fixture.claims(exp: setup.clock.seconds + 300))
        setup.clock.advance(by: 299)
        #expect(try await setup.verify(jwt) != nil)
        setup.clock.advance(by: 1)
        #expect(try await setup.verify(jwt) == nil)
    }

    @Test("a tampered payload or signature, and malformed strings, are refused")
    func tampering() async throws {
        let setup = Setup()
        let jwt = try await setup.sign()
        let parts = jwt.split(separator: ".").map(String.init)
        var claims = Fixture.claims()
        claims.sub = "mallory"
        let forgedPayload = Self.segment(try JSONValue(parsing: try JSONEncoder().encode(claims)))
        #expect(try await setup.verify(parts[0] + "." + forgedPayload + "." + parts[2]) == nil)
        var signature = Array(parts[2])
        signature[5] = signature[5] == "A" ? "B" : "A"
        #expect(try await setup.verify(parts[0] + "." + parts[1] + "." + String(signature)) == nil)
        for malformed in ["", "a.b", "a.b.c.d", jwt + ".", parts[0] + ".!!." + parts[2], jwt + "=", String(repeating: "A", count: 9000)] {
            #expect(try await setup.verify(malformed) == nil)
        }
        // A payload that is not our claims (aud as an array), properly signed, is refused too.
        let (key, privateKey) = try await setup.current()
        let arrayAudience = Self.segment(#"{"iss":"i","sub":"s","aud":["a"],"client_id":"c","exp":1800000300,"iat":1,"jti":"j"}"#)
        let signed = try Self.es256(header: ["alg": "ES256", "typ": "at+jwt", "kid": .string(key.kid)], payload: arrayAudience, privateKey: privateKey)
        #expect(try await setup.verify(signed) == nil)
    }
}
