import WorkersRuntime

extension TokenEndpoint {
    /// The `refresh_token` grant (``RefreshRotation``), serialised per grant in this process (``GrantLock``).
    func refresh(_ form: URLEncodedForm, client: ClientInfo, origin: String, store: OAuthStore) async throws -> Response {
        let request = try RefreshRotation.Request(form)
        return try await GrantLock.shared.withLock(request.parts.lockKey) {
            let now = self.now
            let validated = try RefreshRotation.validate(
                request, grant: try await store.grant(request.parts), client: client, options: options, origin: origin, now: now
            )
            let unlocked = validated.unlocked
            let hook = try await hookResult(.refreshToken, grant: unlocked.grant, scope: unlocked.scope, props: unlocked.props)
            let (transition, body) = try RefreshRotation.issue(
                validated, presented: request.token, hook: hook, secrets: .make(for: unlocked.grant), options: options,
                origin: origin, now: now
            )
            try await store.apply(transition)
            return Self.tokens(body)
        }
    }
}
