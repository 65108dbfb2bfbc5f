import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

extension OAuthHelpers {
    static let accessTokenType = "urn:ietf:params:oauth:token-type:access_token"

    /// RFC 8693 token exchange: trades an access token the *requesting client owns* for a new one with narrower
    /// scope, audience or lifetime. Unlike the anchor, a client can never exchange another client's token.
    func exchangeToken(_ form: URLEncodedForm, client: ClientInfo, origin: String) async throws -> Response {
        guard let subjectToken = form["subject_token"], !subjectToken.isEmpty else {
            throw OAuthError(.invalidRequest, description: "subject_token is required")
        }
        guard let subjectType = form["subject_token_type"] else {
            throw OAuthError(.invalidRequest, description: "subject_token_type is required")
        }
        guard subjectType == Self.accessTokenType else {
            throw OAuthError(.invalidRequest, description: "Unsupported subject_token_type: \(subjectType)")
        }
        let requestedType = form["requested_token_type"] ?? Self.accessTokenType
        guard requestedType == Self.accessTokenType else {
            throw OAuthError(.invalidRequest, description: "Unsupported requested_token_type: \(requestedType)")
        }
        var requestedTTL: Int?
        if let value = form["expires_in"] {
            guard let seconds = Int(value), seconds > 0 else {
                throw OAuthError(.invalidRequest, description: "Invalid expires_in parameter")
            }
            requestedTTL = seconds
        }
        let now = nowSeconds
        guard let parts = TokenParts(subjectToken),
            let subject = try await store.token(
                userId: parts.userId, grantId: parts.grantId, tokenId: TokenCrypto.hash(subjectToken)
            ),
            subject.expiresAt > now
        else {
            throw OAuthError(.invalidGrant, description: "Invalid or expired subject token")
        }
        guard subject.grant.clientId == client.clientID else {
            throw DetailedOAuthError(
                error: OAuthError(.invalidGrant, description: "Invalid or expired subject token"),
                detail: "token_exchange_subject_not_owned: subject issued to \(subject.grant.clientId.escapedForLog)"
            )
        }
        guard var grant = try await store.grant(userId: parts.userId, grantId: parts.grantId) else {
            throw OAuthError(.invalidGrant, description: "Grant not found")
        }
        var scope = ScopeRules.downscope(form["scope"], allowed: subject.scope)
        let requestedResources = form.values("resource")
        let audience: [String]
        if let configured = options.canonicalResource(at: origin) {
            guard subject.audience?.values == [configured] else {
                throw OAuthError(.invalidTarget, description: "The subject token is not bound to the configured resource")
            }
            audience = try ResourceRules.resolve(
                requested: requestedResources, granted: [configured], configured: configured, origin: origin
            ) ?? [configured]
        } else if requestedResources.isEmpty {
            audience = subject.audience?.values ?? [origin]
        } else {
            audience = try ResourceRules.resolve(
                requested: requestedResources, granted: subject.audience?.values ?? grant.resource?.values,
                configured: nil, origin: origin
            ) ?? [origin]
        }
        let remaining = subject.expiresAt - now
        guard remaining >= 60 else { throw OAuthError(.invalidGrant, description: "Subject token expires too soon") }

        let key = try TokenCrypto.unwrapKey(subject.wrappedEncryptionKey, with: subjectToken)
        grant.encryptedProps = subject.grant.encryptedProps
        let props = try TokenCrypto.decryptProps(subject.grant.encryptedProps, key: key)
        let hook = try await runTokenExchangeCallback(.tokenExchange, grant: grant, scope: scope, props: props)
        if let newScope = hook?.accessTokenScope { scope = newScope.filter(subject.scope.contains) }
        var tokenProps = hook?.accessTokenProps
        if tokenProps == nil, let newProps = hook?.newProps { tokenProps = newProps }
        let ttl = try validatedTTL(min(hook?.accessTokenTTL ?? requestedTTL ?? options.accessTokenTTL, remaining))
        let accessToken = try await issueAccessToken(
            grant: grant, key: key, accessTokenProps: tokenProps, scope: scope, audience: audience, ttl: ttl
        )
        return tokenResponse(
            accessToken, ttl: ttl, refreshToken: nil, scope: scope, resource: audience, issuedTokenType: Self.accessTokenType
        )
    }
}
