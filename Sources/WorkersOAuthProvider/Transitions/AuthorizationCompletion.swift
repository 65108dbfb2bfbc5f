import Crypto
import Foundation
import WorkersRuntime

/// Recording a user's consent as a pure step: the new grant holding a single-use code, and the redirect back to the
/// client. A dynamically registered client's first completed authorization also keeps its registration for the full
/// ``OAuthProvider/Options/clientRegistrationTTL``.
enum AuthorizationCompletion {
    /// The new grant's id, code and props key (drawn by the caller).
    struct Secrets: Sendable {
        var grantID: String
        var code: String
        var propsKey: SymmetricKey

        /// Fresh random secrets for a grant of `userID`.
        static func make(userID: String) -> Secrets {
            let grantID = TokenCrypto.randomString(length: TokenCrypto.idLength)
            return Secrets(grantID: grantID, code: TokenParts.make(userID: userID, grantID: grantID), propsKey: TokenCrypto.newPropsKey())
        }
    }

    /// The grant (stored for ``Lifetimes/authorizationCode``, the code's life), the client's kept registration, and
    /// where to send the browser (`code`, `state`, `iss`).
    /// - Parameters:
    ///   - request: The validated authorization request.
    ///   - client: Its client.
    ///   - completion: The app's consent: user, scopes (already limited to the supported ones), metadata, props.
    ///   - scope: The scopes granted.
    ///   - secrets: The new grant's id, code and key.
    ///   - options: The provider's options.
    ///   - now: The time, in seconds since the epoch.
    static func complete(
        _ request: AuthRequest, client: ClientInfo, completion: CompleteAuthorizationOptions, scope: [String],
        secrets: Secrets, options: OAuthProvider.Options, now: Int
    ) throws -> (grant: StoredGrant, transition: GrantTransition, redirectTo: String) {
        let grant = StoredGrant(
            id: secrets.grantID, clientID: client.clientID, userID: completion.userID, scope: scope,
            metadata: completion.metadata, encryptedProps: try TokenCrypto.encryptProps(completion.props, key: secrets.propsKey),
            createdAt: now, authCodeID: TokenCrypto.hash(secrets.code),
            authCodeWrappedKey: try TokenCrypto.wrapKey(secrets.propsKey, with: secrets.code),
            codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallengeMethod?.rawValue,
            resource: ResourceList(request.resource), redirectURI: request.redirectURI
        )
        var effects: [GrantTransition.Effect] = [.putGrant(grant, expiry: .after(Lifetimes.authorizationCode))]
        if client.registeredBy == .dynamicRegistration, client.firstAuthorizedAt == nil {
            var kept = client
            kept.firstAuthorizedAt = now
            let expiry: GrantTransition.Expiry = options.clientRegistrationSeconds.map {
                .at(max((client.registrationDate ?? now) + $0, now + Lifetimes.minimum))
            } ?? .never
            effects.append(.putClient(kept, expiry: expiry))
        }
        var items = [URLQueryItem(name: "code", value: secrets.code)]
        if !request.state.isEmpty { items.append(URLQueryItem(name: "state", value: request.state)) }
        if let issuer = request.issuer { items.append(URLQueryItem(name: "iss", value: issuer)) }
        return (grant, GrantTransition(effects: effects), QueryEncoding.appending(items, to: request.redirectURI))
    }
}
