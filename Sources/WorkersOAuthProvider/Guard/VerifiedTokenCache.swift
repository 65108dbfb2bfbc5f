import Foundation
import Synchronization
import WorkersRuntime

/// Access tokens this process verified in the last moment (``OAuthProvider/Options/verifiedTokenCacheTTL``): the
/// record and the decrypted props, so that a burst of API calls with one token reads the store once.
///
/// An entry lives for the lifetime from when it was read, at most 1 second, and never past its token's expiry, so a
/// revocation anywhere is seen everywhere within that second. Entries are keyed by the store they were read from
/// (one provider may serve several environments) and the token's SHA-256, never the token. The cache holds at most
/// ``capacity`` entries: when full, expired entries go, and if none has, all of them.
final class VerifiedTokenCache: Sendable {
    /// The longest an entry may live.
    static let maximumLifetime: Duration = .seconds(1)
    /// The most entries kept.
    static let capacity = 10_000

    struct Entry: Sendable {
        let record: StoredToken
        let props: JSONValue?
        /// Seconds since the epoch, exclusive.
        let validUntil: Double
    }

    struct Key: Hashable {
        let store: ObjectIdentifier
        let tokenHash: String
    }

    let lifetime: Double
    private let entries = Mutex<[Key: Entry]>([:])

    init(lifetime: Duration) {
        let parts = min(lifetime, Self.maximumLifetime).components
        self.lifetime = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// The entry for `key` if it is still valid at `now`.
    func entry(_ key: Key, now: Double) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard now < entry.validUntil else {
                entries[key] = nil
                return nil
            }
            return entry
        }
    }

    /// Remembers a verified token read at `now`.
    func remember(_ key: Key, record: StoredToken, props: JSONValue?, now: Double) {
        let validUntil = min(now + lifetime, Double(record.expiresAt))
        guard validUntil > now else { return }
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[key] == nil {
                entries = entries.filter { now < $0.value.validUntil }
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Entry(record: record, props: props, validUntil: validUntil)
        }
    }
}
