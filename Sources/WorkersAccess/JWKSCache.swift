import Foundation
import HTTPTypes
import JWTKit
import Logging
import NIOCore
import NIOFoundationCompat
import WorkersRuntime

/// The signing keys of a JWK Set URL, by `kid`, fetched on demand and shared by every copy of a guard.
///
/// - A key set is fetched when the cache is cold, when it is older than the TTL, or when an assertion names an
///   unknown `kid` (key rotation). Fetch attempts, whatever triggers them, are at least `refreshCooldown` apart, so a
///   flood of forged `kid`s causes at most one fetch per window.
/// - Concurrent lookups that need a refresh share one fetch (single flight).
/// - A failed fetch keeps the cached keys: while the key set endpoint is down, known keys keep validating.
/// - Only keys usable for an allowed algorithm are kept, each with that one algorithm fixed; keys for encryption,
///   symmetric keys and keys of other types are dropped.
actor JWKSCache {
    /// A verification key and the one algorithm it verifies.
    struct Key: Sendable {
        let algorithm: AccessAssertionGuard.Algorithm
        let keys: JWTKeyCollection
    }

    /// The result of looking up a `kid`.
    enum Lookup: Sendable {
        case key(Key)
        /// The key set is loaded but has no such key.
        case unknownKeyID
        /// No key set could be loaded yet.
        case unavailable
    }

    let url: URL
    let algorithms: [AccessAssertionGuard.Algorithm]
    let refreshCooldown: TimeInterval
    let ttl: TimeInterval
    let maxSize: Int
    let now: @Sendable () -> Date
    let logger: Logger

    private var keys: [String: Key] = [:]
    private var fetchedAt: Date?
    private var lastAttempt: Date?
    private var inFlight: Task<Void, Never>?

    init(configuration: AccessAssertionGuard.Configuration, now: @escaping @Sendable () -> Date, logger: Logger) {
        url = configuration.jwksURL
        algorithms = configuration.algorithms
        refreshCooldown = configuration.refreshCooldown
        ttl = configuration.cacheTTL
        maxSize = configuration.maxJWKSSize
        self.now = now
        self.logger = logger
    }

    /// The key named `kid`, refreshing the key set first when allowed and needed.
    func key(for kid: String, fetcher: any Fetcher) async -> Lookup {
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
    var keyIDs: Set<String> { Set(keys.keys) }

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
            let loaded = try await Self.fetchKeys(
                url: url,
                algorithms: algorithms,
                maxSize: maxSize,
                fetcher: fetcher,
                logger: logger
            )
            keys = loaded
            fetchedAt = now()
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

    private static func fetchKeys(
        url: URL,
        algorithms: [AccessAssertionGuard.Algorithm],
        maxSize: Int,
        fetcher: any Fetcher,
        logger: Logger
    ) async throws -> [String: Key] {
        var request = Request(url: url)
        request.headers[.accept] = "application/json"
        let response = try await fetcher.fetch(request)
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

/// A key set fetch that failed (logged; the guard keeps its cached keys).
struct JWKSFetchError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A JWK Set read leniently: one malformed or unsupported key does not hide the others.
private struct KeySetDocument: Decodable {
    struct Entry: Decodable {
        var jwk: JWK?
        var kid: String?
        var kty: String?
        var crv: String?
        var alg: String?
        var use: String?

        enum CodingKeys: String, CodingKey {
            case kid, kty, crv, alg, use
        }

        init(from decoder: any Decoder) throws {
            let container = try? decoder.container(keyedBy: CodingKeys.self)
            kid = try? container?.decodeIfPresent(String.self, forKey: .kid)
            kty = try? container?.decodeIfPresent(String.self, forKey: .kty)
            crv = try? container?.decodeIfPresent(String.self, forKey: .crv)
            alg = try? container?.decodeIfPresent(String.self, forKey: .alg)
            use = try? container?.decodeIfPresent(String.self, forKey: .use)
            jwk = try? JWK(from: decoder)
        }

        /// The one allowed algorithm this key verifies: its `alg` (or the natural one for its type and curve),
        /// provided the key type and curve match and the key is not for encryption.
        func usableAlgorithm(among algorithms: [AccessAssertionGuard.Algorithm]) -> AccessAssertionGuard.Algorithm? {
            guard use == nil || use == "sig" else { return nil }
            let name: String
            if let alg {
                name = alg
            } else {
                switch (kty, crv) {
                case ("RSA", _): name = AccessAssertionGuard.Algorithm.rs256.name
                case ("EC", "P-256"): name = AccessAssertionGuard.Algorithm.es256.name
                default: return nil
                }
            }
            guard let algorithm = algorithms.first(where: { $0.name == name }),
                algorithm.keyType == kty,
                algorithm.curve == nil || algorithm.curve == crv
            else { return nil }
            return algorithm
        }
    }

    var keys: [Entry]
}
