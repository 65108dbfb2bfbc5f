import Foundation
import HTTPTypes
import Synchronization

/// In-memory token buckets, one per key (a source address, a client id), for one process.
///
/// Memory is bounded: at most ``maximumKeys`` buckets are kept; when full, buckets that have refilled completely
/// (idle keys, which a fresh bucket would reproduce exactly) are dropped first, then the least recently used. A
/// dropped key that comes back starts with a full bucket, so the bound trades a little precision for memory.
final class RateLimiter: Sendable {
    /// The outcome of ``admit(_:now:)``.
    enum Decision: Equatable {
        case allowed
        /// Refused; the caller may retry after this many whole seconds.
        case limited(retryAfter: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double
        var lastUsed: Double
    }

    let rate: RateLimit
    /// The `limiter` label of its refusals in ``ProviderMetrics`` (`token`, `introspection`, `registration`).
    let name: String
    let maximumKeys: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(_ rate: RateLimit, name: String = "other", maximumKeys: Int = 10_000) {
        self.rate = rate
        self.name = name
        self.maximumKeys = maximumKeys
    }

    /// ``admit(_:now:)``, counting a refusal in ``ProviderMetrics``.
    func admitCounted(_ key: String, now: Double) -> Decision {
        let decision = admit(key, now: now)
        if decision != .allowed { ProviderMetrics.rateLimitRefused(name) }
        return decision
    }

    private var refillPerSecond: Double { Double(max(rate.requestsPerMinute, 1)) / 60 }
    private var capacity: Double { Double(max(rate.burst, 1)) }

    /// Takes one token from `key`'s bucket at time `now` (seconds).
    func admit(_ key: String, now: Double) -> Decision {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now, lastUsed: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now - bucket.updated) * refillPerSecond)
            bucket.updated = now
            bucket.lastUsed = now
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                decision = .limited(retryAfter: max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up))))
            }
            if buckets[key] == nil, buckets.count >= maximumKeys { evict(from: &buckets, now: now) }
            buckets[key] = bucket
            return decision
        }
    }

    /// The number of keys tracked (for tests of the memory bound).
    var trackedKeys: Int { buckets.withLock { $0.count } }

    /// Drops idle (fully refilled) buckets, then the least recently used down to 90% of the bound, so that a stream
    /// of new keys costs one sweep per tenth of the bound, not one per request.
    private func evict(from buckets: inout [String: Bucket], now: Double) {
        let full = buckets.filter { $0.value.tokens + (now - $0.value.updated) * refillPerSecond >= capacity }.map(\.key)
        for key in full { buckets[key] = nil }
        let target = maximumKeys * 9 / 10
        guard buckets.count > target else { return }
        let oldest = buckets.sorted { $0.value.lastUsed < $1.value.lastUsed }.prefix(buckets.count - target)
        for (key, _) in oldest { buckets[key] = nil }
    }
}

extension RateLimiter {
    /// Throws the `429` answer when `key` is over `limiter`'s rate (nothing when there is no limiter).
    /// - Throws: ``OAuthError`` `temporarily_unavailable` with `Retry-After`.
    static func check(_ limiter: RateLimiter?, key: String, now: Date, what: String) throws(OAuthError) {
        guard let limiter, case .limited(let retryAfter) = limiter.admitCounted(key, now: now.timeIntervalSince1970) else { return }
        var headers = HTTPFields()
        headers[.retryAfter] = String(retryAfter)
        throw OAuthError(
            .temporarilyUnavailable, description: "Too many \(what); retry after \(retryAfter) seconds",
            status: .tooManyRequests, headers: headers
        )
    }
}
