import WorkersRuntime

extension TokenEndpoint {
    /// The `authorization_code` grant (``CodeExchange``), serialised per grant in this process (``GrantLock``).
    func exchangeCode(_ form: URLEncodedForm, client: ClientInfo, origin: String, store: OAuthStore) async throws -> Response {
        let request = try CodeExchange.Request(form)
        return try await GrantLock.shared.withLock(request.parts.lockKey) {
            let validated = try CodeExchange.validate(
                request, grant: try await store.grant(request.parts), client: client, options: options, origin: origin
            )
            let hook = try await hookResult(.authorizationCode, grant: validated.grant, scope: validated.scope, props: validated.props)
            let (transition, body) = try CodeExchange.issue(
                validated, hook: hook, client: client, secrets: .make(for: validated.grant), options: options, origin: origin,
                now: now
            )
            try await store.apply(transition)
            return Self.tokens(body)
        }
    }
}
