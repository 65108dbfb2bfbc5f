import WorkersRuntime

extension TokenEndpoint {
    /// The `authorization_code` grant (``CodeExchange``), committed only if the grant is unchanged since it was read.
    func exchangeCode(_ form: URLEncodedForm, client: ClientInfo, _ context: Context) async throws -> Response {
        let request = try CodeExchange.Request(form)
        let origin = context.origin
        return try await committing(request.parts, store: context.store) { grant in
            let validated = try CodeExchange.validate(request, grant: grant, client: client, options: options, origin: origin)
            let hook = try await hookResult(.authorizationCode, grant: validated.grant, scope: validated.scope, props: validated.props)
            let secrets = FreshSecrets.make(for: validated.grant)
            let issued = try CodeExchange.issue(
                validated, hook: hook, client: client, secrets: secrets, options: options, origin: origin, now: now
            )
            return try await minted(issued, opaque: secrets.accessToken, context)
        }
    }
}
