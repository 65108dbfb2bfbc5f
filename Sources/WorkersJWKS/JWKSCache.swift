package import Foundation
import HTTPTypes
package import JWTKit
package import Logging
import NIOCore
import NIOFoundationCompat
import Synchronization
package import WorkersRuntime

/// The signing keys of a JWK Set URL, by `kid`, fetched on demand and shared by every copy of a verifier (the
/// Access assertion guard, the OAuth resource server).
///
/// - A key set is fetched when the cache is cold, when it is older than the TTL, or when a token names an unknown
///   `kid` (key rotation). Fetch attempts, whatever triggers them, are at least `refreshCooldown` apart, so a flood
///   of forged `kid`s causes at most one fetch per window.
/// - Concurrent lookups that need a refresh share one fetch (single flight).
/// - A failed fetch keeps the cached keys: while the key set endpoint is down, known keys keep validating.
/// - Only keys usable for an allowed algorithm are kept, each with that one algorithm fixed; keys for encryption,
///   symmetric keys and keys of other types are dropped.
/// - ``snapshot`` publishes which `kid`s are loaded and when, readable without a hop onto the actor, for callers
///   that cache what a key verified and must forget it once the key leaves the set.
package actor JWKSCache {
    /// A verification key and the one algorithm it verifies.
    package struct Key: Sendable {
        package let algorithm: JWSAlgorithm
        package let keys: JWTKeyCollection
    }

    /// The result of looking up a `kid`.
    package enum Lookup: Sendable {
        case key(Key)
        /// The key set is loaded but has no such key.
        case unknownKeyID
        /// No key set could be loaded yet.
        case unavailable
    }

    /// What is loaded, published after every successful fetch.
    package struct Snapshot: Sendable {
        /// The `kid`s of the loaded key set.
        package var keyIDs: Set<String> = []
        /// When the key set was fetched, or `nil` before the first success.
        package var fetchedAt: Date?
    }

    package nonisolated let url: URL
    package nonisolated let algorithms: [JWSAlgorithm]
    package nonisolated let refreshCooldown: TimeInterval
    package nonisolated let ttl: TimeInterval
    package nonisolated let maxSize: Int
    package nonisolated let timeout: Duration?
    package nonisolated let now: @Sendable () -> Date
    package nonisolated let logger: Logger

    private var keys: [String: Key] = [:]
    private var fetchedAt: Date?
    private var lastAttempt: Date?
    private var inFlight: Task<Void, Never>?
    private nonisolated let published = Mutex(Snapshot())

    /// A cache of the key set at `url`.
    /// - Parameters:
    ///   - url: The JWK Set URL.
    ///   - algorithms: The algorithms keys are kept for.
    ///   - refreshCooldown: The shortest time between two fetches, in seconds.
    ///   - ttl: How long a fetched set is fresh, in seconds.
    ///   - maxSize: The largest key set document read, in bytes.
    ///   - timeout: How long one fetch may take; `nil` leaves the fetcher's own.
    ///   - now: The clock.
    ///   - logger: Where fetches and failures are logged.
    package init(
        url: URL,
        algorithms: [JWSAlgorithm],
        refreshCooldown: TimeInterval,
        ttl: TimeInterval,
        maxSize: Int,
        timeout: Duration? = nil,
        now: @escaping @Sendable () -> Date,
        logger: Logger
    ) {
        self.url = url
        self.algorithms = algorithms
        self.refreshCooldown = refreshCooldown
        self.ttl = ttl
        self.maxSize = maxSize
        self.timeout = timeout
        self.now = now
        self.logger = logger
    }

    /// The key named `kid`, refreshing the key set first when allowed and needed.
    package func key(for kid: String, fetcher: any Fetcher) async -> Lookup {
        let current = now()
        let fresh = fetchedAt.map { current.timeIntervalSince($0) < ttl } ?? false
        if fresh, let key = keys[kid] { return .key(key) }
        if inFlight != nil || lastAttempt.map({ current.timeIntervalSince($0) >= refreshCooldown }) ?? true {
            await refresh(fetcher: fetcher)
        }
        if let key = keys[kid] { return .key(key) }
        return fetchedAt == nil ? .unavailable : .unknownKeyID
    }

    /// The `kid`s currently cached.
    package var keyIDs: Set<String> { Set(keys.keys) }

    /// The loaded `kid`s and when they were fetched, read without awaiting the actor.
    package nonisolated var snapshot: Snapshot { published.withLock { $0 } }

    private func refresh(fetcher: any Fetcher) async {
        if let inFlight {
            await inFlight.value
            return
        }
        lastAttempt = now()
        let task = Task { await self.load(fetcher: fetcher) }
        inFlight = task
        await task.value
    }

    private func load(fetcher: any Fetcher) async {
        defer { inFlight = nil }
        do {
            let loaded = try await fetchKeys(fetcher: fetcher)
            keys = loaded
            let fetched = now()
            fetchedAt = fetched
            published.withLock { $0 = Snapshot(keyIDs: Set(loaded.keys), fetchedAt: fetched) }
            // Key ids and fetch errors come from the key set document: escaped for the log (CWE-117).
            let kids = String(describing: loaded.keys.sorted()).escapedForLog
            logger.debug("Fetched JWK Set", metadata: ["url": "\(url)", "kids": "\(kids)"])
        } catch {
            logger.warning(
                "JWK Set fetch failed; \(fetchedAt == nil ? "no cached keys" : "serving cached keys")",
                metadata: ["url": "\(url)", "error": "\(String(describing: error).escapedForLog)"]
            )
        }
    }

    private func fetchKeys(fetcher: any Fetcher) async throws -> [String: Key] {
        var request = Request(url: url)
        request.headers[.accept] = "application/json"
        let response = try await fetcher.fetch(request, limits: FetchLimits(timeout: timeout, maximumResponseBytes: maxSize))
        guard response.status == .ok else {
            throw JWKSFetchError(message: "JWK Set endpoint answered \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: maxSize)
        let set = try JSONDecoder().decode(KeySetDocument.self, from: Data(buffer: body))
        var keys: [String: Key] = [:]
        for entry in set.keys {
            guard let kid = entry.kid, !kid.isEmpty, keys[kid] == nil, var jwk = entry.jwk else { continue }
            guard let algorithm = entry.usableAlgorithm(among: algorithms) else {
                logger.debug("Skipping JWK not usable for an allowed algorithm", metadata: ["kid": "\(kid.escapedForLog)"])
                continue
            }
            jwk.algorithm = JWK.Algorithm(rawValue: algorithm.name)
            let collection = JWTKeyCollection()
            do {
                try await collection.add(jwk: jwk)
            } catch {
                logger.debug(
                    "Skipping unreadable JWK",
                    metadata: ["kid": "\(kid.escapedForLog)", "error": "\(String(describing: error).escapedForLog)"]
                )
                continue
            }
            keys[kid] = Key(algorithm: algorithm, keys: collection)
        }
        guard !keys.isEmpty else { throw JWKSFetchError(message: "JWK Set has no usable signing keys") }
        return keys
    }
}

/// A key set fetch that failed (logged; the cache keeps its keys).
struct JWKSFetchError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
