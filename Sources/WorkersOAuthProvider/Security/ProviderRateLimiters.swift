import Foundation
import HTTPTypes

/// The provider's rate limiters, made once per ``OAuthProvider`` (so per process) from its options.
struct ProviderRateLimiters: Sendable {
    let registration: RateLimiter?
    let token: RateLimiter?

    init(options: OAuthProvider.Options) {
        registration = options.registrationRateLimit.map { RateLimiter($0) }
        token = options.tokenRateLimit.map { RateLimiter($0) }
    }

    /// No limits (helpers used outside a provider serve no endpoints).
    static let none = ProviderRateLimiters(registration: nil, token: nil)

    private init(registration: RateLimiter?, token: RateLimiter?) {
        self.registration = registration
        self.token = token
    }

    /// Throws the `429` of `limiter` when `key` is over its rate.
    static func check(_ limiter: RateLimiter?, key: String, now: Date, what: String) throws(OAuthError) {
        guard let limiter, case .limited(let retryAfter) = limiter.admit(key, now: now.timeIntervalSince1970) else { return }
        var headers = HTTPFields()
        headers[.retryAfter] = String(retryAfter)
        throw OAuthError(
            .temporarilyUnavailable, description: "Too many \(what); retry after \(retryAfter) seconds",
            status: .tooManyRequests, headers: headers
        )
    }
}
