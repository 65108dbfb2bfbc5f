/// A token-bucket rate: on average ``requestsPerMinute``, with bursts of up to ``burst`` requests at once.
///
/// ```swift
/// registrationRateLimit: RateLimit(requestsPerMinute: 20, burst: 10)   // per source address
/// ```
public struct RateLimit: Sendable, Hashable {
    /// The sustained rate.
    public var requestsPerMinute: Int
    /// How many requests may arrive at once before the rate applies.
    public var burst: Int

    /// Creates a rate.
    /// - Parameters:
    ///   - requestsPerMinute: The sustained rate (at least 1).
    ///   - burst: The bucket size (at least 1).
    public init(requestsPerMinute: Int, burst: Int) {
        self.requestsPerMinute = requestsPerMinute
        self.burst = burst
    }

    /// The registration endpoint's default, per source address: 20 a minute, bursts of 10.
    public static let registrationDefault = RateLimit(requestsPerMinute: 20, burst: 10)
    /// The token endpoint's default, per client: 600 a minute, bursts of 120 (generous; it stops one client from
    /// monopolising the server, not normal use).
    public static let tokenDefault = RateLimit(requestsPerMinute: 600, burst: 120)
    /// The introspection endpoint's default, per client: 3000 a minute, bursts of 300. A resource server may
    /// introspect on every call it serves, for all its users at once, so this is five times the token endpoint's:
    /// it caps a runaway or compromised resource server (each answer costs a store read), not a busy one. A resource
    /// server busier than that should cache answers briefly or take JWT access tokens.
    public static let introspectionDefault = RateLimit(requestsPerMinute: 3000, burst: 300)
}
