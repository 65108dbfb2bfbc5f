import WorkersRuntime

/// RFC 7662 introspection as pure decisions: whether the records an opaque token names make it active, and what it
/// then claims. The endpoint reads the records (``IntrospectionEndpoint/introspect(_:hint:store:withProps:)``);
/// nothing here does I/O.
enum TokenIntrospection {
    /// The claims of an access token, given the record stored under its hash: active while the record exists (a
    /// revoked grant's tokens are deleted) and is unexpired, and only if its key unwraps with the token (as the
    /// bearer guard checks).
    /// - Parameters:
    ///   - record: The access-token record stored under the token's hash, if any.
    ///   - token: The presented token.
    ///   - now: The current time, in seconds since the epoch.
    ///   - withProps: Decrypt the grant's props into the claims (for an operator-created client only).
    /// - Returns: The claims, or `nil` when the token is not an active access token.
    static func accessToken(_ record: StoredToken?, token: String, now: Int, withProps: Bool) -> IntrospectedToken? {
        guard let record, record.expiresAt > now else { return nil }
        var props: JSONValue?
        do {
            let key = try TokenCrypto.unwrapKey(record.wrappedEncryptionKey, with: token)
            if withProps { props = try TokenCrypto.decryptProps(record.grant.encryptedProps, key: key) }
        } catch {
            return nil
        }
        return IntrospectedToken(
            tokenType: IntrospectedToken.bearer, clientID: record.grant.clientID, subject: record.userID,
            audience: record.audience, scope: record.scope, expiresAt: record.expiresAt, issuedAt: record.createdAt,
            props: props
        )
    }

    /// The claims of a refresh token, given the grant its `userID:grantID` names: active only while it is the
    /// grant's current refresh token (compared by hash in constant time) and the grant is unexpired. A rotated-out
    /// token, even one still inside ``OAuthProvider/Options/refreshTokenReuseGrace``, is not active: nobody but its
    /// client should hold it, and that client holds its successor. Never props.
    /// - Parameters:
    ///   - token: The presented token.
    ///   - grant: The grant the token names, if any.
    ///   - now: The current time, in seconds since the epoch.
    /// - Returns: The claims (`exp` the grant's expiry, absent when it never expires), or `nil`.
    static func refreshToken(_ token: String, grant: StoredGrant?, now: Int) -> IntrospectedToken? {
        guard let grant, let current = grant.refreshTokenID, SecureCompare.equals(current, TokenCrypto.hash(token)) else {
            return nil
        }
        if let expiresAt = grant.expiresAt, expiresAt <= now { return nil }
        return IntrospectedToken(
            tokenType: IntrospectedToken.refreshToken, clientID: grant.clientID, subject: grant.userID,
            audience: grant.resource, scope: grant.scope, expiresAt: grant.expiresAt, issuedAt: nil
        )
    }
}
