import WorkersRuntime

extension TokenEndpoint {
    /// The RFC 8693 token-exchange grant (``TokenExchange``).
    func exchangeToken(_ form: URLEncodedForm, client: ClientInfo, origin: String, store: OAuthStore) async throws -> Response {
        let request = try TokenExchange.Request(form)
        var subject: StoredToken?
        var grant: StoredGrant?
        if let parts = request.parts {
            subject = try await store.accessToken(request.subjectToken, parts: parts)
            grant = try await store.grant(parts)
        }
        let now = self.now
        let validated = try TokenExchange.validate(
            request, subject: subject, grant: grant, client: client, options: options, origin: origin, now: now
        )
        let hook = try await hookResult(.tokenExchange, grant: validated.grant, scope: validated.scope, props: validated.props)
        let (transition, body) = try TokenExchange.issue(
            validated, request: request, hook: hook, secrets: .make(for: validated.grant), options: options, now: now
        )
        try await store.apply(transition)
        return Self.tokens(body)
    }
}
