import Metrics

/// What the provider records through swift-metrics (docs/operations.md): tokens issued, error answers, refresh-token
/// reuse, rate-limit refusals. Every label value is one of a fixed set, never request input, so a client cannot grow
/// the number of series. Without a bootstrapped metrics backend these are swift-metrics' no-op handlers.
enum ProviderMetrics {
    static let tokensIssued = "oauth_tokens_issued_total"
    static let errors = "oauth_errors_total"
    static let refreshTokenReuse = "oauth_refresh_token_reuse_total"
    static let rateLimited = "oauth_rate_limited_total"

    /// A token response was sent for `grantType`.
    static func tokenIssued(_ grantType: GrantType) {
        Metrics.Counter(label: tokensIssued, dimensions: [("grant_type", grantTypeLabel(grantType))]).increment()
    }

    /// An OAuth error answer with `code` was sent by `endpoint` (`token`, `register`, `introspect`, `api`, `authorize`, ...).
    static func error(_ code: OAuthErrorCode, endpoint: String) {
        Metrics.Counter(label: errors, dimensions: [("endpoint", endpoint), ("error", errorLabel(code))]).increment()
    }

    /// A refresh token was presented again after its grace period, and its grant revoked.
    static func refreshTokenReused() {
        Metrics.Counter(label: refreshTokenReuse).increment()
    }

    /// `limiter` refused a request.
    static func rateLimitRefused(_ limiter: String) {
        Metrics.Counter(label: rateLimited, dimensions: [("limiter", limiter)]).increment()
    }

    /// The grant types this provider serves, by their short names; anything else is `other`.
    static func grantTypeLabel(_ grantType: GrantType) -> String {
        switch grantType {
        case .authorizationCode: "authorization_code"
        case .refreshToken: "refresh_token"
        case .tokenExchange: "token_exchange"
        default: "other"
        }
    }

    /// The codes of RFC 6749, 6750, 7591 and 8707 the provider sends; a code an application made up (through a
    /// hook's error) is `other`.
    static func errorLabel(_ code: OAuthErrorCode) -> String {
        knownErrorCodes.contains(code.rawValue) ? code.rawValue : "other"
    }

    static let knownErrorCodes: Set<String> = [
        OAuthErrorCode.invalidRequest, .invalidClient, .invalidGrant, .unauthorizedClient, .unsupportedGrantType,
        .invalidScope, .invalidToken, .insufficientScope, .invalidTarget, .invalidClientMetadata, .invalidRedirectURI,
        .accessDenied, .unsupportedResponseType, .serverError, .temporarilyUnavailable,
    ].reduce(into: []) { $0.insert($1.rawValue) }
}
