import Crypto
import Foundation
import WorkersRuntime

/// The anchor's token and props cryptography, byte-for-byte: random strings, SHA-256 ids, AES-256-GCM props
/// encryption with a zero IV (each key is used once), AES-KW key wrapping under an HMAC-SHA256 key derived from
/// each token.
enum TokenCrypto {
    /// The 64-character alphabet of generated ids and secrets.
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Length of the random part of codes, access and refresh tokens, and of client secrets.
    static let tokenLength = 32
    /// Length of grant and client ids.
    static let idLength = 16

    /// The HMAC key from which every token's key-encryption key is derived (the anchor's `WRAPPING_KEY_HMAC_KEY`).
    static let wrappingKeyHMACKey = SymmetricKey(data: [
        0x22, 0x7E, 0x26, 0x86, 0x8D, 0xF1, 0xE1, 0x6D, 0x80, 0x70, 0xEA, 0x17, 0x97, 0x5B, 0x47, 0xA6,
        0x82, 0x18, 0xFA, 0x87, 0x28, 0xAE, 0xDE, 0x85, 0xB5, 0x1D, 0x4A, 0xD9, 0x96, 0xCA, 0xCA, 0x43,
    ])

    /// A random string of `length` characters from ``alphabet``: each character is one CSPRNG byte `% 64`, so
    /// unbiased (256 is a multiple of 64). The bytes come from BoringSSL's generator in one call (through
    /// `SymmetricKey`), not one `getrandom` system call per byte.
    static func randomString(length: Int) -> String {
        SymmetricKey(size: SymmetricKeySize(bitCount: length * 8)).withUnsafeBytes { random in
            String(unsafeUninitializedCapacity: length) { characters in
                for index in 0..<length { characters[index] = alphabet[Int(random[index] % 64)] }
                return length
            }
        }
    }

    /// Lowercase hex SHA-256 of the UTF-8 string: how tokens, codes and client secrets are stored.
    static func hash(_ string: String) -> String {
        var string = string
        let digest = string.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return String(unsafeUninitializedCapacity: 2 * SHA256.byteCount) { hex in
            for (offset, byte) in digest.enumerated() {
                hex[2 * offset] = hexDigits[Int(byte >> 4)]
                hex[2 * offset + 1] = hexDigits[Int(byte & 0x0F)]
            }
            return 2 * SHA256.byteCount
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Whether `secret` hashes to `storedHash`, compared in constant time.
    static func verify(_ secret: String, hash storedHash: String) -> Bool {
        SecureCompare.equals(hash(secret), storedHash)
    }

    /// A fresh AES-256 key for one grant's props.
    static func newPropsKey() -> SymmetricKey { SymmetricKey(size: .bits256) }

    /// Encrypts props JSON: base64(ciphertext || tag), AES-256-GCM with a 12 zero-byte IV.
    static func encryptProps(_ props: JSONValue, key: SymmetricKey) throws -> String {
        let plaintext = Data(props.jsonString.utf8)
        let sealed = try AES.GCM.seal(plaintext, using: key, nonce: zeroNonce)
        return (sealed.ciphertext + sealed.tag).base64EncodedString()
    }

    /// The all-zero IV of props encryption (12 bytes is the one size `Nonce(data:)` accepts, so it cannot throw).
    private static let zeroNonce = try! AES.GCM.Nonce(data: Data(count: 12))

    /// Decrypts props written by ``encryptProps(_:key:)`` (or by the anchor).
    static func decryptProps(_ encrypted: String, key: SymmetricKey) throws -> JSONValue {
        guard let data = Data(base64Encoded: encrypted), data.count >= 16 else { throw CryptoFailure() }
        // nonce || ciphertext || tag, built in one buffer (the slices of the other initializer are copied piecewise).
        var combined = Data(count: 12)
        combined.append(data)
        let box = try AES.GCM.SealedBox(combined: combined)
        let plaintext = try AES.GCM.open(box, using: key)
        return try JSONValue(parsing: plaintext)
    }

    /// HMAC-SHA256 keyed with ``wrappingKeyHMACKey`` and nothing hashed yet: copying it skips the key setup
    /// (two SHA-256 blocks) that every API request would otherwise repeat.
    private static let wrappingKeyHMAC = HMAC<SHA256>(key: wrappingKeyHMACKey)

    /// The key-encryption key of `token`: HMAC-SHA256(wrapping constant, token).
    static func keyEncryptionKey(for token: String) -> SymmetricKey {
        var mac = wrappingKeyHMAC
        var token = token
        token.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return SymmetricKey(data: mac.finalize())
    }

    /// Wraps the props key under `token` (AES-KW, RFC 3394), base64.
    static func wrapKey(_ key: SymmetricKey, with token: String) throws -> String {
        try AES.KeyWrap.wrap(key, using: keyEncryptionKey(for: token)).base64EncodedString()
    }

    /// Unwraps a key wrapped with ``wrapKey(_:with:)``.
    static func unwrapKey(_ wrapped: String, with token: String) throws -> SymmetricKey {
        guard let data = Data(base64Encoded: wrapped) else { throw CryptoFailure() }
        return try AES.KeyWrap.unwrap(data, using: keyEncryptionKey(for: token))
    }

    /// S256 PKCE: base64url-no-pad(SHA-256(ASCII verifier)).
    static func s256Challenge(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()
    }

    /// Malformed ciphertext or wrapped key.
    struct CryptoFailure: Error {}
}
