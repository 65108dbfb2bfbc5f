import Crypto
import WorkersRuntime

/// The RFC 8693 token-exchange grant as pure steps: a client trades an access token *it owns* for a new one with
/// narrower scope, audience or lifetime (unlike the anchor, never another client's token). Nothing of the grant
/// changes; only a new access token is stored.
enum TokenExchange {
    /// The only token type exchanged, asked for and issued.
    static let accessTokenType = "urn:ietf:params:oauth:token-type:access_token"

    /// The grant's parameters of a token request.
    struct Request: Sendable {
        let subjectToken: String
        let parts: TokenParts?
        let expiresIn: Int?
        let coverage: RequestedCoverage

        /// Reads and checks the parameters.
        init(_ form: URLEncodedForm) throws(OAuthError) {
            guard let subjectToken = form["subject_token"], !subjectToken.isEmpty else {
                throw OAuthError(.invalidRequest, description: "subject_token is required")
            }
            guard let subjectType = form["subject_token_type"] else {
                throw OAuthError(.invalidRequest, description: "subject_token_type is required")
            }
            guard subjectType == TokenExchange.accessTokenType else {
                throw OAuthError(.invalidRequest, description: "Unsupported subject_token_type: \(subjectType)")
            }
            let requestedType = form["requested_token_type"] ?? TokenExchange.accessTokenType
            guard requestedType == TokenExchange.accessTokenType else {
                throw OAuthError(.invalidRequest, description: "Unsupported requested_token_type: \(requestedType)")
            }
            if let value = form["expires_in"] {
                guard let seconds = Int(value), seconds > 0 else {
                    throw OAuthError(.invalidRequest, description: "Invalid expires_in parameter")
                }
                expiresIn = seconds
            } else {
                expiresIn = nil
            }
            self.subjectToken = subjectToken
            parts = TokenParts.ofAccessToken(subjectToken)
            coverage = RequestedCoverage(form)
        }
    }

    /// A subject token that checked out.
    struct Validated: Sendable {
        var grant: StoredGrant
        var subject: StoredToken
        var key: SymmetricKey
        var props: JSONValue
        var scope: [String]
        var audience: [String]
        var remaining: Int
    }

    /// Checks the subject token (its record and its grant, `nil` when absent) against the requesting client.
    static func validate(
        _ request: Request, subject: StoredToken?, grant: StoredGrant?, client: ClientInfo, options: OAuthProvider.Options,
        origin: String, now: Int
    ) throws -> Validated {
        guard let subject, subject.expiresAt > now else {
            throw OAuthError(.invalidGrant, description: "Invalid or expired subject token")
        }
        guard subject.grant.clientID == client.clientID else {
            throw GrantRefusal(
                OAuthError(.invalidGrant, description: "Invalid or expired subject token"),
                detail: "token_exchange_subject_not_owned: subject issued to \(subject.grant.clientID.escapedForLog)"
            )
        }
        guard var grant else { throw OAuthError(.invalidGrant, description: "Grant not found") }
        let audience: [String]
        if let configured = options.resources.canonicalURIs(at: origin) {
            // The new token is for the subject's own resource: an exchange never moves a token to another resource.
            guard let bound = subject.audience?.values, bound.count == 1, configured.contains(bound[0]) else {
                throw OAuthError(.invalidTarget, description: "The subject token is not bound to the configured resource")
            }
            audience = try ResourceRules.resolve(
                requested: request.coverage.resources, granted: bound, configured: configured, origin: origin
            ) ?? bound
        } else if request.coverage.resources.isEmpty {
            audience = subject.audience?.values ?? [origin]
        } else {
            audience = try ResourceRules.resolve(
                requested: request.coverage.resources, granted: subject.audience?.values ?? grant.resource?.values,
                configured: nil, origin: origin
            ) ?? [origin]
        }
        let remaining = subject.expiresAt - now
        guard remaining >= Lifetimes.minimum else {
            throw OAuthError(.invalidGrant, description: "Subject token expires too soon")
        }
        let key = try TokenCrypto.unwrapKey(subject.wrappedEncryptionKey, with: request.subjectToken)
        // The new token carries the subject's props (which may be the token's own, not the grant's).
        grant.encryptedProps = subject.grant.encryptedProps
        return Validated(
            grant: grant, subject: subject, key: key, props: try TokenCrypto.decryptProps(subject.grant.encryptedProps, key: key),
            scope: ScopeRules.downscope(request.coverage.scope, allowed: subject.scope), audience: audience, remaining: remaining
        )
    }

    /// The new access token (never outliving the subject) and the token response.
    static func issue(
        _ validated: Validated, request: Request, hook: TokenExchangeResult?, secrets: FreshSecrets,
        options: OAuthProvider.Options, now: Int
    ) throws -> (GrantTransition, TokenResponseBody) {
        var scope = validated.scope
        if let newScope = hook?.accessTokenScope { scope = newScope.filter(validated.subject.scope.contains) }
        let tokenProps = hook?.accessTokenProps ?? hook?.newProps
        let ttl = try AccessTokenIssue.checked(
            min(hook?.accessTokenTTL ?? request.expiresIn ?? options.accessTokenTTL, validated.remaining)
        )
        let accessToken = try AccessTokenIssue.effect(
            token: secrets.accessToken, grant: validated.grant, key: validated.key, accessTokenProps: tokenProps,
            tokenPropsKey: secrets.tokenPropsKey, scope: scope, audience: validated.audience, ttl: ttl, now: now
        )
        let body = TokenResponseBody(
            accessToken: secrets.accessToken, issuedTokenType: accessTokenType, expiresIn: ttl, refreshToken: nil,
            scope: scope, resource: validated.audience
        )
        return (GrantTransition(effects: [accessToken]), body)
    }
}
