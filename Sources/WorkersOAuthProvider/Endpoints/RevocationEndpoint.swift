import WorkersRuntime

/// RFC 7009 revocation, served at the token endpoint: reads the records a token could name and removes what
/// ``Revocation`` decides. Never reveals anything: the caller always answers 200.
struct RevocationEndpoint: Sendable {
    func revoke(_ token: String, hint: String?, client: ClientInfo, store: OAuthStore) async throws {
        guard let parts = TokenParts.ofAccessToken(token) else { return }
        let accessToken = try await store.accessToken(token, parts: parts)
        let grant = try await store.grant(parts)
        try await store.apply(Revocation.effects(of: token, hint: hint, accessToken: accessToken, grant: grant, client: client))
    }
}
