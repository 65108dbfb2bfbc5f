import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// A grant as stored at `grant:{userId}:{grantId}` (field names match the anchor's storage schema).
struct StoredGrant: Sendable, Codable {
    var id: String
    var clientId: String
    var userId: String
    var scope: [String]
    var metadata: JSONValue?
    var encryptedProps: String
    var createdAt: Int
    var expiresAt: Int?
    var refreshTokenId: String?
    var refreshTokenWrappedKey: String?
    var previousRefreshTokenId: String?
    var previousRefreshTokenWrappedKey: String?
    /// When the previous refresh token was spent (the rotation that retired it): it stays usable, for a client whose
    /// response was lost, only until this plus ``OAuthProvider/Options/refreshTokenReuseGrace``. Ours; the anchor
    /// has no such field (a grant it wrote has none, and its previous token is then not usable).
    var previousRefreshTokenSpentAt: Int?
    /// SHA-256 ids of the last refresh tokens presented in successful rotations, oldest first: presenting one that is
    /// no longer usable is reuse (RFC 9700 §4.14.2), which revokes the grant. Ours, like the field above.
    var spentRefreshTokenIds: [String]?
    var authCodeId: String?
    var authCodeWrappedKey: String?
    var codeChallenge: String?
    var codeChallengeMethod: String?
    var resource: ResourceList?
    var redirectUri: String?
}

/// An access token as stored at `token:{userId}:{grantId}:{sha256(token)}`.
struct StoredToken: Sendable, Codable {
    struct GrantInfo: Sendable, Codable {
        var clientId: String
        var scope: [String]
        var encryptedProps: String
    }

    var id: String
    var grantId: String
    var userId: String
    var createdAt: Int
    var expiresAt: Int
    var audience: ResourceList?
    var scope: [String]
    var wrappedEncryptionKey: String
    var grant: GrantInfo
}

/// A resource or audience: stored as a string when single, an array otherwise (the anchor's `string | string[]`).
struct ResourceList: Sendable, Codable, Equatable {
    var values: [String]

    init(_ values: [String]) { self.values = values }

    init?(_ values: [String]?) {
        guard let values, !values.isEmpty else { return nil }
        self.values = values
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            values = [single]
        } else {
            values = try container.decode([String].self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
    }
}
