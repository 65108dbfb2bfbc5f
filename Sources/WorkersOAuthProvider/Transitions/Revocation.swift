import WorkersRuntime

/// RFC 7009 revocation as a pure decision: an access token alone, or a refresh token with its whole grant, and only
/// when the requesting client owns it. Whatever it decides, the endpoint answers 200 (revocation reveals nothing).
enum Revocation {
    /// What revoking `token` removes, given the records it could name: its access-token record (`nil` when it is not
    /// a live access token) and its grant.
    /// - Parameters:
    ///   - token: The presented token.
    ///   - hint: `token_type_hint`; `refresh_token` checks the grant first, anything else the access token first.
    ///   - accessToken: The access-token record stored under the token's hash, if any.
    ///   - grant: The grant the token's `userID:grantID` names, if any.
    ///   - client: The authenticated client.
    static func effects(
        of token: String, hint: String?, accessToken: StoredToken?, grant: StoredGrant?, client: ClientInfo
    ) -> [GrantTransition.Effect] {
        let tokenID = TokenCrypto.hash(token)
        let asAccessToken: GrantTransition.Effect? = accessToken.flatMap { record in
            record.grant.clientID == client.clientID
                ? .deleteToken(userID: record.userID, grantID: record.grantID, tokenID: record.id) : nil
        }
        let asRefreshToken: GrantTransition.Effect? = grant.flatMap { grant in
            // Any refresh token the grant ever accepted (current, previous or spent) names it.
            let known = ([grant.refreshTokenID, grant.previousRefreshTokenID] + (grant.spentRefreshTokenIDs ?? []))
                .contains { $0.map { SecureCompare.equals($0, tokenID) } ?? false }
            return known && grant.clientID == client.clientID ? .revokeGrant(userID: grant.userID, grantID: grant.id) : nil
        }
        let first = hint == "refresh_token" ? asRefreshToken ?? asAccessToken : asAccessToken ?? asRefreshToken
        return first.map { [$0] } ?? []
    }
}
