import WorkersRuntime

extension TokenEndpoint {
    /// The `authorization_code` grant (``CodeExchange``), committed only if the grant is unchanged since it was read.
    func exchangeCode(_ form: URLEncodedForm, client: ClientInfo, origin: String, store: OAuthStore) async throws -> Response {
        let request = try CodeExchange.Request(form)
        return try await committing(request.parts, store: store) { grant in
            let validated = try CodeExchange.validate(request, grant: grant, client: client, options: options, origin: origin)
            let hook = try await hookResult(.authorizationCode, grant: validated.grant, scope: validated.scope, props: validated.props)
            return try CodeExchange.issue(
                validated, hook: hook, client: client, secrets: .make(for: validated.grant), options: options, origin: origin,
                now: now
            )
        }
    }
}
