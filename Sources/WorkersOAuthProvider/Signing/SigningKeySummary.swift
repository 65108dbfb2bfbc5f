/// One of the provider's JWT signing keys, as ``OAuthHelpers/signingKeys()`` lists it: never its private half.
public struct SigningKeySummary: Sendable, Equatable, Codable {
    /// Whether a key signs new tokens.
    public enum State: String, Sendable, Codable {
        /// The key new tokens are signed with (there is one).
        case current
        /// Replaced by a rotation; still published (tokens it signed verify) until ``SigningKeySummary/publishedUntil``.
        case retired
    }

    /// The key id, the `kid` of its tokens' header and of its JWK.
    public var keyID: String
    /// Its algorithm.
    public var algorithm: SigningAlgorithm
    /// Current or retired.
    public var state: State
    /// When it was generated (seconds since the epoch).
    public var createdAt: Int
    /// When it was retired; `nil` for the current key.
    public var retiredAt: Int?
    /// Until when a retired key stays in the JWK Set; `nil` for the current key (published as long as it is current).
    public var publishedUntil: Int?

    /// Creates a summary.
    public init(
        keyID: String, algorithm: SigningAlgorithm, state: State, createdAt: Int, retiredAt: Int? = nil, publishedUntil: Int? = nil
    ) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.state = state
        self.createdAt = createdAt
        self.retiredAt = retiredAt
        self.publishedUntil = publishedUntil
    }
}

/// What ``OAuthHelpers/rotateSigningKey(algorithm:)`` did.
public struct RotatedSigningKey: Sendable, Equatable {
    /// The new current key.
    public var keyID: String
    /// Its algorithm.
    public var algorithm: SigningAlgorithm
    /// The key it replaced, now retired; `nil` when there was none.
    public var retiredKeyID: String?
    /// Until when the retired key stays published (seconds since the epoch).
    public var retiredKeyPublishedUntil: Int?

    /// Creates a result.
    public init(keyID: String, algorithm: SigningAlgorithm, retiredKeyID: String? = nil, retiredKeyPublishedUntil: Int? = nil) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.retiredKeyID = retiredKeyID
        self.retiredKeyPublishedUntil = retiredKeyPublishedUntil
    }
}
