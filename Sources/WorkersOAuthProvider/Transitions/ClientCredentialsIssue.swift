import Crypto
import WorkersRuntime

/// The `client_credentials` grant (RFC 6749 §4.4) as pure steps: ``validate(_:client:allowedScopes:configured:origin:)``
/// decides the scopes and resource of a machine client's token, ``issue(_:client:props:secrets:options:now:)``
/// computes the grant (the client is its own user), its one access token and the response. No refresh token.
enum ClientCredentialsIssue {
    /// What the token will cover.
    struct Validated: Sendable, Equatable {
        let scope: [String]
        let resource: [String]?
    }

    /// Checks a confidential client's request.
    /// - Parameters:
    ///   - coverage: The request's `scope` and `resource`.
    ///   - client: The authenticated client.
    ///   - allowedScopes: The scopes of the resource (`nil` when none are configured: any scope).
    ///   - configured: The canonical resources, `nil` when none is configured.
    ///   - origin: This server's origin.
    /// - Throws: ``OAuthError``: `unauthorized_client` for a public client, `invalid_scope` for a scope the client
    ///   was not registered with or the resource does not have, `invalid_target` for a resource not served.
    static func validate(
        _ coverage: RequestedCoverage, client: ClientInfo, allowedScopes: (_ resource: String?) -> Set<String>?,
        configured: [String]?, origin: String
    ) throws(OAuthError) -> Validated {
        guard !client.isPublic, client.clientSecret != nil else {
            throw OAuthError(.unauthorizedClient, description: "The client_credentials grant is for confidential clients only")
        }
        guard !client.clientID.contains(":") else {
            throw OAuthError(.unauthorizedClient, description: "A client id containing \":\" cannot be a token subject")
        }
        let resource = try ResourceRules.resolve(requested: coverage.resources, granted: nil, configured: configured, origin: origin)
        let allowed = allowedScopes(resource?.first)
        let registered = client.scope.map { ScopeRules.split($0) }
        let asked = ScopeRules.split(coverage.scope)
        var seen = Set<String>()
        let unique = asked.filter { seen.insert($0).inserted }
        if let outside = unique.first(where: { scope in !(registered?.contains(scope) ?? true) || !(allowed?.contains(scope) ?? true) }) {
            throw OAuthError(.invalidScope, description: "The scope \(outside) is not available to this client")
        }
        // Without a `scope`, the client gets what it was registered with (the resource has them), else none.
        let scope = coverage.scope == nil ? (registered ?? []).filter { allowed?.contains($0) ?? true } : unique
        return Validated(scope: scope, resource: resource)
    }

    /// The grant (the client as its own user, living as long as its token), the access token, and the response.
    /// - Parameters:
    ///   - validated: The scopes and resource.
    ///   - client: The client.
    ///   - props: The token's props (the callback's, or `{}`).
    ///   - secrets: The grant id, token and key, drawn by the caller.
    ///   - options: The provider's options (the access token lifetime).
    ///   - origin: This server's origin (the audience when no resource is configured).
    ///   - now: The time, in seconds since the epoch.
    static func issue(
        _ validated: Validated, client: ClientInfo, props: JSONValue, secrets: Secrets, options: OAuthProvider.Options,
        origin: String, now: Int
    ) throws -> (GrantTransition, TokenResponseBody) {
        let ttl = options.accessTokenTTL
        let grant = StoredGrant(
            id: secrets.grantID, clientID: client.clientID, userID: client.clientID, scope: validated.scope, metadata: nil,
            encryptedProps: try TokenCrypto.encryptProps(props, key: secrets.propsKey), createdAt: now, expiresAt: now + ttl,
            resource: ResourceList(validated.resource)
        )
        let token = try AccessTokenIssue.effect(
            token: secrets.accessToken, grant: grant, key: secrets.propsKey, accessTokenProps: nil, tokenPropsKey: secrets.propsKey,
            scope: validated.scope, audience: ResourceRules.audience(validated.resource, origin: origin), ttl: ttl, now: now
        )
        let transition = GrantTransition(effects: [.putGrant(grant, expiry: .at(now + ttl + Lifetimes.minimumGrantExpiration)), token])
        let body = TokenResponseBody(
            accessToken: secrets.accessToken, expiresIn: ttl, refreshToken: nil, scope: validated.scope, resource: validated.resource
        )
        return (transition, body)
    }

    /// A machine client's new grant id, access token and props key.
    struct Secrets: Sendable {
        var grantID: String
        var accessToken: String
        var propsKey: SymmetricKey

        /// Fresh random secrets for a token of `clientID`.
        static func make(clientID: String) -> Secrets {
            let grantID = TokenCrypto.randomString(length: TokenCrypto.idLength)
            return Secrets(
                grantID: grantID, accessToken: TokenParts.make(userID: clientID, grantID: grantID), propsKey: TokenCrypto.newPropsKey()
            )
        }
    }
}
