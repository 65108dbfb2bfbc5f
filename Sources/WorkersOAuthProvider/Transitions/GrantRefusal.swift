/// A grant request refused, with what the refusal itself changes (a replayed code, a reused refresh token revoke
/// their grant). Thrown by the pure grant steps; the endpoint applies ``effects`` and answers ``error``.
struct GrantRefusal: Error {
    let error: OAuthError
    let detail: String?
    let effects: [GrantTransition.Effect]

    init(_ error: OAuthError, detail: String? = nil, effects: [GrantTransition.Effect] = []) {
        self.error = error
        self.detail = detail
        self.effects = effects
    }

    /// `invalid_grant` with `description`, revoking `grant`.
    static func revoking(_ grant: StoredGrant, _ description: String, detail: String? = nil) -> GrantRefusal {
        GrantRefusal(
            OAuthError(.invalidGrant, description: description), detail: detail,
            effects: [.revokeGrant(userID: grant.userID, grantID: grant.id)]
        )
    }
}
