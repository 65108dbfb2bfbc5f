import Crypto
import Foundation
import WorkersRuntime
import WorkersTesting

@testable import WorkersOAuthProvider

/// Records and secrets for the pure transition tests: no KV, no clock, no randomness.
enum TransitionFixtures {
    static let origin = "https://auth.example.com"
    static let now = 1_800_000_000
    static let verifier = "a-verifier-that-is-long-enough-to-satisfy-rfc-7636-rules"
    static let redirect = "https://app.example.com/callback"
    static let options = OAuthProvider.Options(tokenEndpoint: "/token", scopesSupported: ["read", "write"])

    static func key(_ byte: UInt8) -> SymmetricKey { SymmetricKey(data: Data(repeating: byte, count: 32)) }

    static func secrets(_ tag: String) -> FreshSecrets {
        FreshSecrets(
            accessToken: "alice:g1:access-\(tag)-0123456789012345678", refreshToken: "alice:g1:refresh-\(tag)-012345678901234567",
            propsKey: key(2), tokenPropsKey: key(3)
        )
    }

    static func client(_ grantTypes: [GrantType]? = nil, id: String = "client-1") -> ClientInfo {
        var client = ClientInfo(clientID: id, redirectURIs: [redirect], grantTypes: grantTypes, tokenEndpointAuthMethod: .none)
        client.registeredBy = .operator
        return client
    }

    /// An authorization request as ``AuthorizationRequestValidator`` leaves it.
    static var authRequest: AuthRequest {
        AuthRequest(
            clientID: "client-1", redirectURI: redirect, scope: ["read", "write"], state: "xyz",
            codeChallenge: TokenCrypto.s256Challenge(verifier), codeChallengeMethod: .s256, issuer: origin
        )
    }

    static let code = "alice:g1:code-0123456789012345678901234"

    /// A grant holding an unexchanged code, as ``AuthorizationCompletion`` stores it.
    static func grantWithCode(props: JSONValue = ["login": "alice"]) throws -> StoredGrant {
        try AuthorizationCompletion.complete(
            authRequest, client: client(),
            completion: CompleteAuthorizationOptions(request: authRequest, userID: "alice", scope: ["read", "write"], props: props),
            scope: ["read", "write"], secrets: .init(grantID: "g1", code: code, propsKey: key(1)), options: options, now: now
        ).grant
    }

    /// The form of a code exchange.
    static func exchangeForm(code: String = code, verifier: String? = verifier, scope: String? = nil, resource: String? = nil)
        -> URLEncodedForm
    {
        var pairs: [(name: String, value: String)] = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect)]
        if let verifier { pairs.append(("code_verifier", verifier)) }
        if let scope { pairs.append(("scope", scope)) }
        if let resource { pairs.append(("resource", resource)) }
        return URLEncodedForm(pairs)
    }

    /// The grant after a code exchange issued `secrets`, and the stored records.
    static func exchanged(_ tag: String = "a") throws -> (grant: StoredGrant, token: StoredToken, secrets: FreshSecrets) {
        let validated = try CodeExchange.validate(
            CodeExchange.Request(exchangeForm()), grant: grantWithCode(), client: client(), options: options, origin: origin
        )
        let secrets = secrets(tag)
        let (transition, _) = try CodeExchange.issue(
            validated, hook: nil, client: client(), secrets: secrets, options: options, origin: origin, now: now
        )
        guard case .putGrant(let grant, _) = transition.effects[0], case .putToken(let token, _) = transition.effects[1] else {
            throw FixtureError()
        }
        return (grant, token, secrets)
    }

    struct FixtureError: Error {}
}
