import WorkersRuntime

extension TokenEndpoint {
    /// The `client_credentials` grant (``ClientCredentialsIssue``): a new grant of the client's own, its props from
    /// ``OAuthProvider/Options/clientCredentialsCallback`` (`{}` without one).
    func issueClientCredentials(_ form: URLEncodedForm, client: ClientInfo, _ context: Context) async throws -> Response {
        let origin = context.origin
        let validated = try ClientCredentialsIssue.validate(
            RequestedCoverage(form), client: client,
            allowedScopes: { authorization.allowedScopes(resource: $0, origin: origin) },
            configured: options.resources.canonicalURIs(at: origin), origin: origin
        )
        let resource = ResourceRules.audience(validated.resource, origin: origin)[0]
        let props =
            try await options.clientCredentialsCallback?(
                ClientCredentialsInput(clientID: client.clientID, scope: validated.scope, resource: resource)
            ) ?? .object([:])
        let secrets = ClientCredentialsIssue.Secrets.make(clientID: client.clientID)
        let issued = try ClientCredentialsIssue.issue(
            validated, client: client, props: props, secrets: secrets, options: options, origin: origin, now: now
        )
        let (transition, body) = try await minted(issued, opaque: secrets.accessToken, context)
        try await context.store.apply(transition)
        return Self.tokens(body)
    }
}
