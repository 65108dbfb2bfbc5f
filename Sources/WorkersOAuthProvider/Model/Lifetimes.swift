/// The provider's fixed lifetimes and the defaults of its lifetime options. Every lifetime in the provider is a
/// whole number of seconds.
@usableFromInline
enum Lifetimes {
    /// ``OAuthProvider/Options/accessTokenTTL``'s default: 1 hour.
    @usableFromInline static let defaultAccessToken = 3_600
    /// ``OAuthProvider/Options/refreshTokenTTL``'s default: 30 days.
    @usableFromInline static let defaultRefreshToken = 2_592_000
    /// ``OAuthProvider/Options/clientRegistrationTTL``'s default: 90 days.
    @usableFromInline static let defaultClientRegistration = 7_776_000
    /// ``OAuthProvider/Options/unusedClientRegistrationTTL``'s default: 24 hours.
    @usableFromInline static let defaultUnusedClientRegistration = 86_400
    /// ``OAuthProvider/Options/refreshTokenReuseGrace``'s default: 1 minute.
    @usableFromInline static let defaultRefreshTokenReuseGrace = 60
    /// An authorization code, and the grant holding it until it is exchanged: 10 minutes (the anchor's).
    static let authorizationCode = 600
    /// The shortest lifetime Workers KV stores (its `expirationTtl` minimum), and so the shortest token lifetime.
    static let minimum = 60
    /// An absolute grant expiration is written at least this far in the future (the KV minimum plus the anchor's
    /// 5-second clamp margin), so the write is never refused as already expired.
    static let minimumGrantExpiration = 65
}
