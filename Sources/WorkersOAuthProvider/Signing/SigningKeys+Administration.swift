import Foundation
import Logging
import WorkersRuntime

extension SigningKeys {
    /// Every stored key, the current one first, then the retired ones newest first (read from the store, not the
    /// cache).
    func summaries(store: OAuthStore) async throws -> [SigningKeySummary] {
        let (record, _) = try await read(store)
        return record.keys.sorted { ($0.retiredAt == nil ? 1 : 0, $0.createdAt, $0.kid) > ($1.retiredAt == nil ? 1 : 0, $1.createdAt, $1.kid) }
            .map(\.summary)
    }

    /// Generates a key for `algorithm` (the configured one by default) and makes it current; the previous current
    /// key is retired and stays published for ``AccessTokenSigning/retention`` seconds. Conditional on the record
    /// being unchanged, retried when another process changed it in between.
    /// - Throws: ``OAuthProviderError`` for a missing or short secret or an unsupported algorithm; KV errors.
    func rotate(algorithm: SigningAlgorithm? = nil, store: OAuthStore, env: Env) async throws -> RotatedSigningKey {
        let secret = try secret(env)
        for _ in 0..<8 {
            let (record, bytes) = try await read(store)
            let now = self.now()
            let key = try await SigningKeyCrypto.generateOffPool(algorithm ?? configuration.algorithm, secret: secret, now: now)
            let next = record.rotated(to: key, now: now, retention: configuration.retention)
            if try await commit(next, replacing: bytes, in: store) {
                invalidate()
                let retired = record.current.flatMap { next.key($0.kid) }
                logger.notice(
                    "Rotated the JWT signing key",
                    metadata: ["kid": "\(key.kid)", "retired": "\(retired?.kid ?? "none")", "alg": "\(key.alg.rawValue)"]
                )
                return RotatedSigningKey(
                    keyID: key.kid, algorithm: key.alg, retiredKeyID: retired?.kid, retiredKeyPublishedUntil: retired?.publishUntil
                )
            }
        }
        throw OAuthProviderError("the signing key set kept changing during the rotation; try again")
    }

    /// Removes the retired key `kid` from the store at once: tokens it signed stop verifying (in other processes
    /// once they re-read the set, within ``AccessTokenSigning/keyRefreshInterval``) and it leaves the JWK Set.
    /// - Throws: ``OAuthProviderError`` for the current key (rotate first) or an unknown one; KV errors.
    func remove(_ kid: String, store: OAuthStore) async throws {
        for _ in 0..<8 {
            let (record, bytes) = try await read(store)
            let next: SigningKeySet
            do { next = try record.removing(kid, now: now()) } catch {
                switch error {
                case .currentKey:
                    throw OAuthProviderError("signing key \(kid.escapedForLog) is the current key: rotate first, then remove it")
                case .unknownKey:
                    throw OAuthProviderError("there is no signing key \(kid.escapedForLog)")
                }
            }
            if try await commit(next, replacing: bytes, in: store) {
                invalidate()
                logger.notice("Removed a JWT signing key", metadata: ["kid": "\(kid.escapedForLog)"])
                return
            }
        }
        throw OAuthProviderError("the signing key set kept changing during the removal; try again")
    }
}

extension StoredSigningKey {
    /// The key as the helpers show it.
    var summary: SigningKeySummary {
        SigningKeySummary(
            keyID: kid, algorithm: alg, state: retiredAt == nil ? .current : .retired, createdAt: createdAt,
            retiredAt: retiredAt, publishedUntil: publishUntil
        )
    }
}
