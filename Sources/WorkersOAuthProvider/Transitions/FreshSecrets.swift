import Crypto

/// The new secrets a grant step may hand out, drawn by the caller before the pure step runs (randomness is the one
/// input a transition cannot compute), so that tests can pass fixed ones.
struct FreshSecrets: Sendable {
    /// The next access token (`{userID}:{grantID}:{secret}`).
    var accessToken: String
    /// The next refresh token.
    var refreshToken: String
    /// A key for the grant's props, used only when a hook replaces them.
    var propsKey: SymmetricKey
    /// A key for props of the access token alone, used only when a hook gives some.
    var tokenPropsKey: SymmetricKey

    /// Fresh random secrets for a token of `grant`.
    static func make(for grant: StoredGrant) -> FreshSecrets {
        FreshSecrets(
            accessToken: TokenParts.make(userID: grant.userID, grantID: grant.id),
            refreshToken: TokenParts.make(userID: grant.userID, grantID: grant.id),
            propsKey: TokenCrypto.newPropsKey(),
            tokenPropsKey: TokenCrypto.newPropsKey()
        )
    }
}
