import Foundation

/// The provider's signing keys as stored: one KV record (``key``) holding every key, the current one and the
/// retired ones still published. Changed only by conditional commits on its bytes, so concurrent first uses and
/// rotations never leave two current keys.
struct SigningKeySet: Codable, Sendable, Equatable {
    /// The KV key of the record.
    static let key = "signing-keys"

    var keys: [StoredSigningKey] = []

    /// The key that signs: the one not retired (there is at most one).
    var current: StoredSigningKey? { keys.first { $0.retiredAt == nil } }

    /// The keys a token may be verified with at `now`: the current one and every retired one whose
    /// ``StoredSigningKey/publishUntil`` is still ahead.
    func published(at now: Int) -> [StoredSigningKey] {
        keys.filter { $0.isPublished(at: now) }
    }

    /// The key `kid`, or `nil`.
    func key(_ kid: String) -> StoredSigningKey? { keys.first { $0.kid == kid } }
}

/// One signing key as stored. The private key is never stored in plaintext: ``encryptedPrivateKey`` is
/// AES-256-GCM under a key derived from the provider's secret and this ``kid`` (``SigningKeyCrypto``).
struct StoredSigningKey: Codable, Sendable, Equatable {
    /// 16 characters of the provider's id alphabet; the JWT header's `kid`.
    let kid: String
    let alg: SigningAlgorithm
    /// The public key as published.
    let publicKey: PublicJWK
    /// base64(nonce ‖ ciphertext ‖ tag) of the private key (P-256: the raw scalar; RSA: its DER).
    let encryptedPrivateKey: String
    /// When the key was generated (seconds since the epoch).
    let createdAt: Int
    /// When a rotation replaced it; `nil` for the current key.
    var retiredAt: Int? = nil
    /// Until when a retired key stays published (its last token expires before); `nil` for the current key.
    var publishUntil: Int? = nil

    /// Whether the key is in the JWK Set at `now`.
    func isPublished(at now: Int) -> Bool {
        guard retiredAt != nil else { return true }
        return (publishUntil ?? 0) > now
    }
}
