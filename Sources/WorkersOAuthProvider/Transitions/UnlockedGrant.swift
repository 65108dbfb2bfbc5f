import Crypto
import WorkersRuntime

/// A grant whose props key a presented code or refresh token unwrapped, with the scope and resources of the token
/// to issue: what the authorization-code and refresh-token grants both end with.
struct UnlockedGrant: Sendable {
    var grant: StoredGrant
    var key: SymmetricKey
    var props: JSONValue
    var scope: [String]
    var resource: [String]?

    /// Unwraps the props key wrapped under `secret` (the code or refresh token presented) and decrypts the props.
    init(_ grant: StoredGrant, wrappedKey: String, secret: String, requestedScope: String?, resource: [String]?) throws {
        self.grant = grant
        key = try TokenCrypto.unwrapKey(wrappedKey, with: secret)
        props = try TokenCrypto.decryptProps(grant.encryptedProps, key: key)
        scope = ScopeRules.downscope(requestedScope, allowed: grant.scope)
        self.resource = resource
    }

    /// Takes what ``OAuthProvider/Options/tokenExchangeCallback`` returned: a narrower scope (never one the grant
    /// lacks), and new props for the grant, encrypted under the fresh `propsKey`.
    mutating func apply(_ hook: TokenExchangeResult?, propsKey: SymmetricKey) throws {
        if let newScope = hook?.accessTokenScope { scope = newScope.filter(grant.scope.contains) }
        if let newProps = hook?.newProps {
            key = propsKey
            grant.encryptedProps = try TokenCrypto.encryptProps(newProps, key: key)
        }
    }

    /// Stores the grant (until its expiry, at least ``Lifetimes/minimumGrantExpiration`` away) and a new access
    /// token from it, and answers with the tokens.
    /// - Parameters:
    ///   - accessTTL: The access token's lifetime, already checked.
    ///   - refreshToken: The refresh token handed out, if any (already recorded in ``grant``).
    ///   - hook: The hook's result, for props of the access token alone.
    ///   - secrets: The new secrets.
    ///   - origin: This server's origin (the audience of a token asked for without a resource).
    ///   - now: The time, in seconds since the epoch.
    func issue(
        accessTTL: Int, refreshToken: String?, hook: TokenExchangeResult?, secrets: FreshSecrets, origin: String, now: Int
    ) throws -> (GrantTransition, TokenResponseBody) {
        let accessToken = try AccessTokenIssue.effect(
            token: secrets.accessToken, grant: grant, key: key, accessTokenProps: hook?.accessTokenProps,
            tokenPropsKey: secrets.tokenPropsKey, scope: scope, audience: ResourceRules.audience(resource, origin: origin),
            ttl: accessTTL, now: now
        )
        let transition = GrantTransition(effects: [
            .putGrant(grant, expiry: grant.expiresAt.map { .at(max($0, now + Lifetimes.minimumGrantExpiration)) } ?? .never),
            accessToken,
        ])
        let body = TokenResponseBody(
            accessToken: secrets.accessToken, expiresIn: accessTTL, refreshToken: refreshToken, scope: scope, resource: resource
        )
        return (transition, body)
    }
}
