import Crypto
import Synchronization
import WorkersRuntime

/// Tokens this process checked recently, keyed by the token's SHA-256 (never the token), each with what it said and
/// until when it may be reused: the verified-JWT cache (until `exp`, and only while its `kid` is in the key set) and
/// the introspection cache (a few seconds, never past `exp`). Reads take one lock and no actor hop.
///
/// Bounded by ``capacity``: when full, expired entries go first; if none has expired, an arbitrary tenth does.
final class TokenCache: Sendable {
    /// What a token was found to be.
    struct Entry: Sendable {
        /// The token's description when it was admitted; `nil` for a token introspection said is inactive.
        let token: AccessTokenInfo?
        /// Props (introspection only).
        let props: JSONValue?
        /// The `kid` that verified it (JWTs only).
        let keyID: String?
        /// Seconds since the epoch, exclusive.
        let validUntil: Double
    }

    typealias Key = SHA256Digest

    let capacity: Int
    private let entries = Mutex<[Key: Entry]>([:])

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The key of `token`.
    static func key(_ token: String) -> Key {
        SHA256.hash(data: Array(token.utf8))
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

    /// Remembers `entry` (ignored when already past its end).
    func remember(_ key: Key, _ entry: Entry, now: Double) {
        guard entry.validUntil > now else { return }
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil {
                entries = entries.filter { now < $0.value.validUntil }
                if entries.count >= capacity {
                    for key in entries.keys.prefix(max(1, capacity / 10)) { entries[key] = nil }
                }
            }
            entries[key] = entry
        }
    }

    /// Forgets `key`.
    func forget(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// How many entries are held (tests, benchmarks).
    var count: Int { entries.withLock { $0.count } }
}
