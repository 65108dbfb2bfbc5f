import Crypto
import CryptoExtras
import Foundation
import JWTKit
import WorkersRuntime

/// The cryptography of stored signing keys: generating a key pair, encrypting its private half under the
/// provider's secret, and turning stored keys into jwt-kit signers and verifiers.
///
/// The encryption key is HKDF-SHA256 of the secret with a fixed salt naming its purpose and the key's `kid` as
/// info, so every signing key has its own; the ciphertext is AES-256-GCM with a random nonce, the `kid` and `alg`
/// as additional data (a record's ciphertext cannot be moved to another key's entry).
enum SigningKeyCrypto {
    /// HKDF salt: what the derived key is for. Changing it makes every stored key undecryptable.
    static let salt = Data("workers-oauth-provider/signing-key-encryption/v1".utf8)

    /// A freshly generated key, encrypted under `secret`, generated on a Dispatch thread: an RSA-2048 key takes
    /// tens to hundreds of milliseconds, which must not hold a thread of the concurrency pool the server's
    /// requests run on.
    static func generateOffPool(_ algorithm: SigningAlgorithm, secret: String, now: Int) async throws -> StoredSigningKey {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try generate(algorithm, secret: secret, now: now) })
            }
        }
    }

    /// A freshly generated key, encrypted under `secret`.
    static func generate(_ algorithm: SigningAlgorithm, secret: String, now: Int) throws -> StoredSigningKey {
        let kid = TokenCrypto.randomString(length: TokenCrypto.idLength)
        let privateKey: Data
        let publicKey: PublicJWK
        switch algorithm {
        case .es256:
            let key = P256.Signing.PrivateKey()
            privateKey = key.rawRepresentation
            let point = key.publicKey.rawRepresentation  // x ‖ y, 32 bytes each
            publicKey = .ec(
                kid: kid, alg: algorithm, x: point.prefix(32).base64URLEncodedString(), y: point.suffix(32).base64URLEncodedString()
            )
        case .rs256:
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            privateKey = key.derRepresentation
            let primitives = try key.publicKey.getKeyPrimitives()
            publicKey = .rsa(
                kid: kid, alg: algorithm, modulus: primitives.modulus.base64URLEncodedString(),
                exponent: primitives.publicExponent.base64URLEncodedString()
            )
        default:
            throw OAuthProviderError("accessTokenSigning.algorithm must be ES256 or RS256, got \"\(algorithm.rawValue.escapedForLog)\"")
        }
        return StoredSigningKey(
            kid: kid, alg: algorithm, publicKey: publicKey,
            encryptedPrivateKey: try encrypt(privateKey, kid: kid, alg: algorithm, secret: secret), createdAt: now
        )
    }

    /// The per-key encryption key.
    static func encryptionKey(secret: String, kid: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), salt: salt,
            info: Data("signing key \(kid)".utf8), outputByteCount: 32
        )
    }

    static func encrypt(_ plaintext: Data, kid: String, alg: SigningAlgorithm, secret: String) throws -> String {
        let sealed = try AES.GCM.seal(plaintext, using: encryptionKey(secret: secret, kid: kid), authenticating: associatedData(kid, alg))
        guard let combined = sealed.combined else { throw TokenCrypto.CryptoFailure() }
        return combined.base64EncodedString()
    }

    /// The private key bytes of `key`.
    /// - Throws: ``OAuthProviderError`` naming `secretName` when `secret` is not the one the key was encrypted under.
    static func decrypt(_ key: StoredSigningKey, secret: String, secretName: String) throws -> Data {
        do {
            guard let combined = Data(base64Encoded: key.encryptedPrivateKey) else { throw TokenCrypto.CryptoFailure() }
            return try AES.GCM.open(
                AES.GCM.SealedBox(combined: combined), using: encryptionKey(secret: secret, kid: key.kid),
                authenticating: associatedData(key.kid, key.alg)
            )
        } catch {
            throw OAuthProviderError(
                "signing key \(key.kid) cannot be decrypted with the secret \(secretName): it is not the secret the key was encrypted under (restore it, or rotate to a new key with oauth keys rotate)"
            )
        }
    }

    private static func associatedData(_ kid: String, _ alg: SigningAlgorithm) -> Data {
        Data("\(kid).\(alg.rawValue)".utf8)
    }

    /// A jwt-kit collection that signs with `privateKey` (the decrypted bytes of `key`) under `key.kid`. Its claims
    /// are written without escaping `/` (`"aud":"https://…"`, not `https:\/\/…`): plain JSON strings, which this
    /// provider's own check of a JWT reads with JSONValue's scanner (``TokenParts/init(jwt:)``).
    static func signer(_ key: StoredSigningKey, privateKey: Data) async throws -> JWTKeyCollection {
        let kid = JWKIdentifier(string: key.kid)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let serializer = DefaultJWTSerializer(jsonEncoder: encoder)
        let keys = JWTKeyCollection(defaultJWTSerializer: serializer)
        switch key.alg {
        case .es256:
            let ecdsa = try ES256PrivateKey(backing: P256.Signing.PrivateKey(rawRepresentation: privateKey))
            return await keys.add(ecdsa: ecdsa, kid: kid, serializer: serializer)
        case .rs256:
            let rsa = try Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(derRepresentation: privateKey))
            return await keys.add(rsa: rsa, digestAlgorithm: .sha256, kid: kid, serializer: serializer)
        default:
            throw OAuthProviderError("signing key \(key.kid) has an unsupported algorithm \(key.alg.rawValue.escapedForLog)")
        }
    }

    /// A jwt-kit collection holding only the public half of `key`, which verifies with `key.alg` alone.
    static func verifier(_ key: StoredSigningKey) async throws -> JWTKeyCollection {
        let kid = JWKIdentifier(string: key.kid)
        let jwk = key.publicKey
        switch key.alg {
        case .es256:
            guard jwk.kty == "EC", let x = jwk.x, let y = jwk.y else { throw TokenCrypto.CryptoFailure() }
            return await JWTKeyCollection().add(ecdsa: try ES256PublicKey(parameters: (x: x, y: y)), kid: kid)
        case .rs256:
            guard jwk.kty == "RSA", let n = jwk.n, let e = jwk.e else { throw TokenCrypto.CryptoFailure() }
            return await JWTKeyCollection().add(rsa: try Insecure.RSA.PublicKey(modulus: n, exponent: e), digestAlgorithm: .sha256, kid: kid)
        default:
            throw TokenCrypto.CryptoFailure()
        }
    }
}
