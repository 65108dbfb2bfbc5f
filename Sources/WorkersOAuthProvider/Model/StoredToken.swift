import WorkersRuntime

/// An access token as stored at `token:{userId}:{grantId}:{sha256(token)}`, with its own copy of the grant's client,
/// scopes and encrypted props (the anchor's layout), so checking a token reads one record.
struct StoredToken: Sendable, Codable, Equatable {
    /// What the token carries of its grant.
    struct GrantInfo: Sendable, Codable, Equatable {
        var clientID: String
        var scope: [String]
        var encryptedProps: String

        enum CodingKeys: String, CodingKey {
            case clientID = "clientId"
            case scope, encryptedProps
        }
    }

    var id: String
    var grantID: String
    var userID: String
    var createdAt: Int
    var expiresAt: Int
    var audience: ResourceList?
    var scope: [String]
    var wrappedEncryptionKey: String
    var grant: GrantInfo

    /// What handlers learn of the token (``WorkersRuntime/ExecutionContext/accessToken``).
    var info: AccessTokenInfo {
        AccessTokenInfo(clientID: grant.clientID, scopes: scope, subject: userID, resource: audience?.values.first, expiresAt: expiresAt)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case grantID = "grantId"
        case userID = "userId"
        case createdAt, expiresAt, audience, scope, wrappedEncryptionKey, grant
    }
}
