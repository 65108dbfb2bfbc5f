import WorkersRuntime

extension TokenEndpoint {
    /// The RFC 8693 token-exchange grant (``TokenExchange``), committed only if the grant is unchanged since it was
    /// read (a grant revoked meanwhile issues nothing).
    func exchangeToken(_ form: URLEncodedForm, client: ClientInfo, origin: String, store: OAuthStore) async throws -> Response {
        let request = try TokenExchange.Request(form)
        guard let parts = request.parts else { throw OAuthError(.invalidGrant, description: "Invalid or expired subject token") }
        let subject = try await store.accessToken(request.subjectToken, parts: parts)
        return try await committing(parts, store: store) { grant in
            let now = self.now
            let validated = try TokenExchange.validate(
                request, subject: subject, grant: grant, client: client, options: options, origin: origin, now: now
            )
            let hook = try await hookResult(.tokenExchange, grant: validated.grant, scope: validated.scope, props: validated.props)
            return try TokenExchange.issue(
                validated, request: request, hook: hook, secrets: .make(for: validated.grant), options: options, now: now
            )
        }
    }
}
