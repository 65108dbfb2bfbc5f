/// Turns on RFC 9068 JWT access tokens: where their signing keys' secret is, how long a token lives, where the
/// public keys are published. Set it as ``OAuthProvider/Options/accessTokenSigning``; `nil` (the default) issues no
/// JWTs and serves no JWK Set.
///
/// The signing keys live in the provider's KV namespace, their private halves encrypted under the secret
/// ``encryptionKeyName`` (docs/oauth.md, "Signing keys"). The first key is generated the first time one is needed;
/// `oauth keys rotate` replaces it.
///
/// ```swift
/// var options = OAuthProvider.Options(tokenEndpoint: "/oauth/token")
/// options.accessTokenSigning = AccessTokenSigning(algorithm: .es256, lifetime: 300)
/// ```
public struct AccessTokenSigning: Sendable {
    /// The algorithm new signing keys are generated for (``SigningAlgorithm/es256`` by default).
    public var algorithm: SigningAlgorithm
    /// Seconds a JWT access token lives (at least 60; 300 by default). A JWT cannot be revoked before it expires,
    /// so keep it short.
    public var lifetime: Int
    /// The secret (from `.dev.vars` or the environment, never `[vars]`) whose value, at least 32 characters, the
    /// private keys are encrypted under. Losing it loses the keys: rotate to new ones.
    public var encryptionKeyName: String
    /// The path of the JWK Set document, advertised as `jwks_uri`.
    public var jwksEndpoint: String
    /// How often a process re-reads the key set from the store, so a rotation made by another process or by the
    /// command line is picked up within it. A retired key stays published for this much longer than its last token.
    public var keyRefreshInterval: Duration

    /// Creates a signing configuration.
    /// - Parameters:
    ///   - algorithm: The algorithm of newly generated keys.
    ///   - lifetime: Seconds a JWT access token lives (at least 60).
    ///   - encryptionKeyName: The secret the private keys are encrypted under.
    ///   - jwksEndpoint: The path of the JWK Set.
    ///   - keyRefreshInterval: How often the key set is re-read from the store.
    public init(
        algorithm: SigningAlgorithm = .es256,
        lifetime: Int = 300,
        encryptionKeyName: String = "SIGNING_KEY_ENCRYPTION_KEY",
        jwksEndpoint: String = "/.well-known/jwks.json",
        keyRefreshInterval: Duration = .seconds(30)
    ) {
        self.algorithm = algorithm
        self.lifetime = lifetime
        self.encryptionKeyName = encryptionKeyName
        self.jwksEndpoint = jwksEndpoint
        self.keyRefreshInterval = keyRefreshInterval
    }

    /// The shortest secret accepted.
    static let minimumSecretLength = 32

    /// ``keyRefreshInterval`` in seconds (rounded up).
    var refreshSeconds: Int {
        let (seconds, attoseconds) = keyRefreshInterval.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }

    /// How long a key stays published after it stops signing: its last token's lifetime, plus the time other
    /// processes may still sign with it before they re-read the key set, plus a minute of clock skew.
    var retention: Int { lifetime + refreshSeconds + 60 }
}
