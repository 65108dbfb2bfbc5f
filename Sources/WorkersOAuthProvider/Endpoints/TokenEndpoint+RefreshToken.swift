import WorkersRuntime

extension TokenEndpoint {
    /// The `refresh_token` grant (``RefreshRotation``), committed only if the grant is unchanged since it was read.
    /// A reused token (its grant revoked) is counted in ``ProviderMetrics``.
    func refresh(_ form: URLEncodedForm, client: ClientInfo, _ context: Context) async throws -> Response {
        let request = try RefreshRotation.Request(form)
        let origin = context.origin
        return try await committing(request.parts, store: context.store) { grant in
            let now = self.now
            let validated: RefreshRotation.Validated
            do {
                validated = try RefreshRotation.validate(request, grant: grant, client: client, options: options, origin: origin, now: now)
            } catch let refusal as GrantRefusal {
                // The only refusal of `validate`: a token presented again after its grace period.
                ProviderMetrics.refreshTokenReused()
                throw refusal
            }
            let unlocked = validated.unlocked
            let hook = try await hookResult(.refreshToken, grant: unlocked.grant, scope: unlocked.scope, props: unlocked.props)
            let secrets = FreshSecrets.make(for: unlocked.grant)
            let issued = try RefreshRotation.issue(
                validated, presented: request.token, hook: hook, secrets: secrets, options: options, origin: origin, now: now
            )
            return try await minted(issued, opaque: secrets.accessToken, context)
        }
    }
}
