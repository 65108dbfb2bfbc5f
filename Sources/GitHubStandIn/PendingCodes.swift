import Foundation

/// The authorization codes a ``GitHubStandIn`` has issued and not yet exchanged: expired codes are dropped whenever
/// one is issued or taken, and at most `limit` are kept (the oldest is evicted), so unexchanged codes cannot grow
/// memory without bound.
struct PendingCodes {
    /// What a code was issued for.
    struct Code {
        let login: String
        let redirectURI: String
        let scope: String
        let expires: Date
    }

    /// The most codes kept.
    let limit: Int
    private var codes: [String: Code] = [:]

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// How many codes are outstanding.
    var count: Int { codes.count }

    /// Records `code`, after dropping expired codes and, at the limit, the oldest ones.
    mutating func issue(_ code: String, _ pending: Code, now: Date) {
        dropExpired(now: now)
        while codes.count >= limit, let oldest = codes.min(by: { $0.value.expires < $1.value.expires })?.key {
            codes[oldest] = nil
        }
        codes[code] = pending
    }

    /// Removes and returns `code` (single use, even when the rest of the exchange fails) unless it expired; drops
    /// every expired code on the way.
    mutating func take(_ code: String?, now: Date) -> Code? {
        dropExpired(now: now)
        guard let code else { return nil }
        return codes.removeValue(forKey: code)
    }

    private mutating func dropExpired(now: Date) {
        codes = codes.filter { $0.value.expires > now }
    }
}
