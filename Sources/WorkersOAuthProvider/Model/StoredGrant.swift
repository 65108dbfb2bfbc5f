import WorkersRuntime

/// A grant as stored at `grant:{userId}:{grantId}`; the JSON field names are the anchor's (`clientId`, `userId`,
/// `refreshTokenId`, ...), so a store copied from Workers KV reads as it is.
struct StoredGrant: Sendable, Codable, Equatable {
    var id: String
    var clientID: String
    var userID: String
    var scope: [String]
    var metadata: JSONValue?
    var encryptedProps: String
    var createdAt: Int
    var expiresAt: Int?
    var refreshTokenID: String?
    var refreshTokenWrappedKey: String?
    var previousRefreshTokenID: String?
    var previousRefreshTokenWrappedKey: String?
    /// When the previous refresh token was spent (the rotation that retired it): it stays usable, for a client whose
    /// response was lost, only until this plus ``OAuthProvider/Options/refreshTokenReuseGrace``. Ours; the anchor
    /// has no such field (a grant it wrote has none, and its previous token is then not usable).
    var previousRefreshTokenSpentAt: Int?
    /// SHA-256 ids of the last refresh tokens presented in successful rotations, oldest first: presenting one that is
    /// no longer usable is reuse (RFC 9700 §4.14.2), which revokes the grant. Ours, like the field above.
    var spentRefreshTokenIDs: [String]?
    var authCodeID: String?
    var authCodeWrappedKey: String?
    var codeChallenge: String?
    var codeChallengeMethod: String?
    var resource: ResourceList?
    var redirectURI: String?

    enum CodingKeys: String, CodingKey {
        case id
        case clientID = "clientId"
        case userID = "userId"
        case scope, metadata, encryptedProps, createdAt, expiresAt
        case refreshTokenID = "refreshTokenId"
        case refreshTokenWrappedKey
        case previousRefreshTokenID = "previousRefreshTokenId"
        case previousRefreshTokenWrappedKey, previousRefreshTokenSpentAt
        case spentRefreshTokenIDs = "spentRefreshTokenIds"
        case authCodeID = "authCodeId"
        case authCodeWrappedKey, codeChallenge, codeChallengeMethod, resource
        case redirectURI = "redirectUri"
    }

    /// The summary the helpers list (no secrets, no props).
    var summary: GrantSummary {
        GrantSummary(
            id: id, clientID: clientID, userID: userID, scope: scope, metadata: metadata, createdAt: createdAt,
            expiresAt: expiresAt, redirectURI: redirectURI, lastRefreshedAt: previousRefreshTokenSpentAt,
            resource: resource?.values
        )
    }
}
