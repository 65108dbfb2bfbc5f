import WorkersRuntime

extension TokenEndpoint {
    /// The RFC 8693 token-exchange grant (``TokenExchange``), committed only if the grant is unchanged since it was
    /// read (a grant revoked meanwhile issues nothing).
    func exchangeToken(_ form: URLEncodedForm, client: ClientInfo, _ context: Context) async throws -> Response {
        let request = try TokenExchange.Request(form)
        guard let parts = request.parts else { throw OAuthError(.invalidGrant, description: "Invalid or expired subject token") }
        let origin = context.origin
        let subject = try await context.store.accessToken(request.subjectToken, parts: parts)
        return try await committing(parts, store: context.store) { grant in
            let now = self.now
            let validated = try TokenExchange.validate(
                request, subject: subject, grant: grant, client: client, options: options, origin: origin, now: now
            )
            let hook = try await hookResult(.tokenExchange, grant: validated.grant, scope: validated.scope, props: validated.props)
            let secrets = FreshSecrets.make(for: validated.grant)
            let issued = try TokenExchange.issue(validated, request: request, hook: hook, secrets: secrets, options: options, now: now)
            return try await minted(issued, opaque: secrets.accessToken, context)
        }
    }
}
