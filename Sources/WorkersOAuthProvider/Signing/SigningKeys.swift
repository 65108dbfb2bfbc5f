import Foundation
import JWTKit
import Logging
import Synchronization
import WorkersKV
import WorkersRuntime

/// The provider's JWT signing keys: the key set in the store (``SigningKeySet``), generated on first use, cached in
/// memory and re-read at most every ``AccessTokenSigning/keyRefreshInterval``; the signer and the verifier of
/// RFC 9068 access tokens; rotation and removal.
///
/// One instance per provider (``ProviderComponents/signingKeys``). Several processes on one store agree on the
/// keys: the record changes only by conditional commits, so two first uses at once end with one key.
///
/// ```swift
/// let jwt = try await signingKeys.sign(claims, store: store, env: env)
/// let verified = try await signingKeys.verify(jwt, store: store, env: env)  // the claims, or nil
/// ```
final class SigningKeys: Sendable {
    let configuration: AccessTokenSigning
    let now: @Sendable () -> Int
    let logger: Logger
    let cache = Mutex<Snapshot?>(nil)
    /// When a token naming an unknown `kid` last made this process re-read the key set (at most once a second).
    let lastUnknownKeyReload = Mutex<Int>(Int.min)

    /// The key set as last read from one store, with what was built from it.
    struct Snapshot: Sendable {
        /// The KV namespace it was read from (`nil` for a value-type namespace).
        let store: ObjectIdentifier?
        let loadedAt: Int
        let record: SigningKeySet
        /// The published keys' verifiers, by `kid`.
        let verifiers: [String: Verifier]
        /// The current key decrypted, once something was signed.
        var signer: Signer?
    }

    /// A published key and a jwt-kit collection holding only its public half.
    struct Verifier: Sendable {
        let key: StoredSigningKey
        let keys: JWTKeyCollection
    }

    /// The current key, decrypted.
    struct Signer: Sendable {
        let key: StoredSigningKey
        let keys: JWTKeyCollection
    }

    /// The signing keys of a provider configured with `configuration`.
    /// - Parameters:
    ///   - configuration: ``OAuthProvider/Options/accessTokenSigning``.
    ///   - now: The clock (``OAuthProvider/Options/now``).
    ///   - logger: Where generation and rotation are logged.
    init(_ configuration: AccessTokenSigning, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.configuration = configuration
        self.now = { Int(now().timeIntervalSince1970) }
        self.logger = logger
    }

    /// Signs `claims` with the current key: a compact JWS with header `alg`, `typ: at+jwt` and `kid`.
    /// - Throws: ``OAuthProviderError`` naming the secret when it is missing, too short, or not the one the current
    ///   key was encrypted under (never a silently generated new key); KV errors.
    func sign(_ claims: AccessTokenClaims, store: OAuthStore, env: Env) async throws -> String {
        let signer = try await currentSigner(store: store, env: env)
        let header: JWTHeader = [
            "alg": .string(signer.key.alg.rawValue), "typ": .string("at+jwt"), "kid": .string(signer.key.kid),
        ]
        return try await signer.keys.sign(claims, kid: JWKIdentifier(string: signer.key.kid), header: header)
    }

    /// The public keys to publish in the JWK Set (generating the first key if there is none, so a resource server
    /// that fetches the set before the first token is issued already finds it).
    func publishedKeys(store: OAuthStore, env: Env) async throws -> [PublicJWK] {
        let now = self.now()
        return try await snapshot(store: store, env: env).verifiers.values.map(\.key).filter { $0.isPublished(at: now) }
            .sorted { ($0.createdAt, $0.kid) > ($1.createdAt, $1.kid) }.map(\.publicKey)
    }

    /// The stored secret named by ``AccessTokenSigning/encryptionKeyName``.
    /// - Throws: ``OAuthProviderError`` when it is missing or shorter than 32 characters.
    func secret(_ env: Env) throws(OAuthProviderError) -> String {
        let name = configuration.encryptionKeyName
        guard let secret = env.secrets[name], !secret.isEmpty else {
            throw OAuthProviderError(
                "the secret \(name) is not set: JWT access tokens need it to encrypt their signing keys (accessTokenSigning.encryptionKeyName)"
            )
        }
        guard secret.count >= AccessTokenSigning.minimumSecretLength else {
            throw OAuthProviderError("the secret \(name) must be at least \(AccessTokenSigning.minimumSecretLength) characters, got \(secret.count)")
        }
        return secret
    }

    // MARK: - The cache

    /// The decrypted current key, cached with the snapshot it belongs to.
    private func currentSigner(store: OAuthStore, env: Env) async throws -> Signer {
        let snapshot = try await snapshot(store: store, env: env)
        if let signer = snapshot.signer { return signer }
        guard let current = snapshot.record.current else { throw OAuthProviderError("the signing key set has no current key") }
        let privateKey = try SigningKeyCrypto.decrypt(current, secret: try secret(env), secretName: configuration.encryptionKeyName)
        let signer = Signer(key: current, keys: try await SigningKeyCrypto.signer(current, privateKey: privateKey))
        cache.withLock { cached in
            if cached?.record.current?.kid == current.kid { cached?.signer = signer }
        }
        return signer
    }

    /// The cached key set of `store`, re-read when older than the refresh interval (or `reload`).
    func snapshot(store: OAuthStore, env: Env, reload: Bool = false) async throws -> Snapshot {
        let identity = Self.identity(of: store.kv)
        let now = self.now()
        let cached = cache.withLock { $0 }
        if !reload, let cached, cached.store == identity, now - cached.loadedAt < configuration.refreshSeconds {
            return cached
        }
        let record = try await ensuredRecord(store: store, env: env)
        let previous = cached?.store == identity ? cached : nil
        var verifiers: [String: Verifier] = [:]
        for key in record.published(at: now) {
            if let known = previous?.verifiers[key.kid], known.key == key {
                verifiers[key.kid] = known
            } else {
                verifiers[key.kid] = Verifier(key: key, keys: try await SigningKeyCrypto.verifier(key))
            }
        }
        let signer = previous?.signer.flatMap { $0.key.kid == record.current?.kid ? $0 : nil }
        let snapshot = Snapshot(store: identity, loadedAt: now, record: record, verifiers: verifiers, signer: signer)
        cache.withLock { $0 = snapshot }
        return snapshot
    }

    /// Forgets the cached key set, so the next use re-reads it (after this process changed it).
    func invalidate() {
        cache.withLock { $0 = nil }
    }

    /// The stored key set, with a first key generated and committed if it had none. Of several processes doing this
    /// at once, one commit wins; the others find its key when they read again.
    private func ensuredRecord(store: OAuthStore, env: Env) async throws -> SigningKeySet {
        for _ in 0..<8 {
            let (record, bytes) = try await read(store)
            if record.current != nil { return record }
            let key = try await SigningKeyCrypto.generateOffPool(configuration.algorithm, secret: try secret(env), now: now())
            let next = record.keys.isEmpty ? record.starting(with: key) : record.rotated(to: key, now: now(), retention: configuration.retention)
            if try await commit(next, replacing: bytes, in: store) {
                logger.info("Generated the first JWT signing key", metadata: ["kid": "\(key.kid)", "alg": "\(key.alg.rawValue)"])
                return next
            }
        }
        throw OAuthProviderError("the signing key set kept changing while the first key was being stored")
    }

    /// The stored key set and its bytes (`nil`: no record yet).
    func read(_ store: OAuthStore) async throws -> (SigningKeySet, Data?) {
        guard let entry = try await store.kv.getEntry(SigningKeySet.key) else { return (SigningKeySet(), nil) }
        return (try JSONDecoder().decode(SigningKeySet.self, from: entry.value), entry.value)
    }

    /// Stores `record` if the stored bytes are still `bytes`; returns whether it did.
    func commit(_ record: SigningKeySet, replacing bytes: Data?, in store: OAuthStore) async throws -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try await store.kv.commit(
            [.put(key: SigningKeySet.key, value: try encoder.encode(record), options: KVPutOptions())],
            ifUnchanged: [SigningKeySet.key: bytes]
        )
    }

    /// The identity of a KV namespace that is an object (every built-in one is), so a cache is never used for another.
    private static func identity(of kv: any KVAtomicNamespace) -> ObjectIdentifier? {
        type(of: kv) is AnyClass ? ObjectIdentifier(kv as AnyObject) : nil
    }
}
