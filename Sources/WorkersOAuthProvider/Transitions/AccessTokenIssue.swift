import Crypto
import WorkersRuntime

/// The step every grant ends with: an access token record for a grant, stored for the token's lifetime.
enum AccessTokenIssue {
    /// The record of `token` and the effect that stores it.
    /// - Parameters:
    ///   - token: The new access token (from ``FreshSecrets``).
    ///   - grant: The grant it is issued from (its client, scopes and encrypted props are copied into the record).
    ///   - key: The grant's props key, wrapped under the token.
    ///   - accessTokenProps: Props for this token alone (a hook's), encrypted under `tokenPropsKey` instead.
    ///   - tokenPropsKey: The key for `accessTokenProps`.
    ///   - scope: The token's scopes.
    ///   - audience: The resources it is valid at.
    ///   - ttl: Its lifetime in seconds.
    ///   - now: The time, in seconds since the epoch.
    static func effect(
        token: String, grant: StoredGrant, key: SymmetricKey, accessTokenProps: JSONValue?, tokenPropsKey: SymmetricKey,
        scope: [String], audience: [String], ttl: Int, now: Int
    ) throws -> GrantTransition.Effect {
        var encryptedProps = grant.encryptedProps
        var tokenKey = key
        if let accessTokenProps {
            tokenKey = tokenPropsKey
            encryptedProps = try TokenCrypto.encryptProps(accessTokenProps, key: tokenKey)
        }
        let record = StoredToken(
            id: TokenCrypto.hash(token), grantID: grant.id, userID: grant.userID, createdAt: now, expiresAt: now + ttl,
            audience: ResourceList(audience), scope: scope, wrappedEncryptionKey: try TokenCrypto.wrapKey(tokenKey, with: token),
            grant: .init(clientID: grant.clientID, scope: grant.scope, encryptedProps: encryptedProps)
        )
        return .putToken(record, ttl: ttl)
    }

    /// `ttl` when it is at least ``Lifetimes/minimum``, else `invalid_request`.
    static func checked(_ ttl: Int) throws(OAuthError) -> Int {
        guard ttl >= Lifetimes.minimum else {
            throw OAuthError(.invalidRequest, description: "Requested token lifetime must be at least 60 seconds")
        }
        return ttl
    }
}
