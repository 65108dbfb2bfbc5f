import Foundation
import WorkersRuntime

extension OAuthResourceServer {
    /// The description and props of an active token, by RFC 7662 introspection (answer cached by token hash for
    /// ``Configuration/introspectionCacheTTL``, never past `exp`; inactive answers are cached as briefly).
    /// - Throws: ``TokenRejection``: invalid when the token is inactive or fails the claim checks, or when this
    ///   resource server has no introspection client; unavailable when the endpoint cannot be asked.
    func introspectActive(_ token: String, fetcher: any Fetcher) async throws(TokenRejection) -> (AccessTokenInfo, JSONValue?) {
        guard configuration.canIntrospect, let clientID = configuration.clientID, let clientSecret = configuration.clientSecret else {
            throw .invalid("not a JWT, and no introspection client is configured")
        }
        let key = TokenCache.key(token)
        let current = now().timeIntervalSince1970
        if let entry = introspected.entry(key, now: current) {
            guard let info = entry.token else { throw .invalid("inactive (cached introspection answer)") }
            return (info, entry.props)
        }
        let resolved = try await endpoints.resolve(fetcher: fetcher)
        guard let url = resolved.introspectionURL else {
            throw .unavailable("the authorization server has no introspection endpoint")
        }
        let client = IntrospectionClient(url: url, clientID: clientID, clientSecret: clientSecret, timeout: configuration.fetchTimeout)
        let answer = try await client.introspect(token, fetcher: fetcher)
        let inactive = TokenCache.Entry(token: nil, props: nil, keyID: nil, validUntil: current + configuration.introspectionCacheTTL)
        guard answer.active else {
            introspected.remember(key, inactive, now: current)
            throw .invalid("introspection: inactive")
        }
        let checked = rules.check(
            TokenClaimRules.Claims(
                issuer: answer.iss, subject: answer.sub, audience: answer.aud?.values, clientID: answer.client_id,
                scope: answer.scope, expiresAt: answer.exp, issuedAt: answer.iat
            ),
            now: current,
            requireSubject: false,
            requireIssuedAt: false
        )
        switch checked {
        case .success(let info):
            let until = min(current + configuration.introspectionCacheTTL, Double(info.expiresAt ?? 0))
            introspected.remember(key, TokenCache.Entry(token: info, props: answer.props, keyID: nil, validUntil: until), now: current)
            return (info, answer.props)
        case .failure(let rejection):
            introspected.remember(key, inactive, now: current)
            throw .invalid("introspection: \(rejection.reason)")
        }
    }
}
