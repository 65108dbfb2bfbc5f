/// What a change to a grant does to the store, computed purely (no KV, no clock, no randomness inside) from the
/// records read and the request; ``OAuthStore/apply(_:)`` carries it out.
struct GrantTransition: Sendable, Equatable {
    /// When a stored record expires (the two forms of a KV put).
    enum Expiry: Sendable, Equatable {
        /// At this time, in seconds since the epoch.
        case at(Int)
        /// This many seconds after the write.
        case after(Int)
        /// Never.
        case never
    }

    /// One change to the store.
    enum Effect: Sendable, Equatable {
        /// Store the grant until `expiry`.
        case putGrant(StoredGrant, expiry: Expiry)
        /// Store an access token for `ttl` seconds.
        case putToken(StoredToken, ttl: Int)
        /// Delete one access token.
        case deleteToken(userID: String, grantID: String, tokenID: String)
        /// Delete a grant and every token of it.
        case revokeGrant(userID: String, grantID: String)
        /// Store a client record until `expiry`.
        case putClient(ClientInfo, expiry: Expiry)
    }

    /// The changes, in order.
    var effects: [Effect]

    /// No change.
    static let none = GrantTransition(effects: [])
}
