import Foundation
import Testing
import WorkersRuntime
import WorkersTesting

@testable import WorkersOAuthProvider

/// ``Revocation``, ``TokenExchange`` and ``AuthorizationCompletion`` without any KV.
@Suite("Revocation, token exchange and authorization completion (pure)")
struct RevocationAndCompletionTests {
    typealias F = TransitionFixtures

    @Test("an access token is revoked alone, a refresh token takes its grant, and only for the owning client")
    func revocation() throws {
        let (grant, token, secrets) = try F.exchanged()
        #expect(
            Revocation.effects(of: secrets.accessToken, hint: nil, accessToken: token, grant: grant, client: F.client())
                == [.deleteToken(userID: "alice", grantID: "g1", tokenID: token.id)]
        )
        #expect(
            Revocation.effects(of: secrets.refreshToken, hint: "refresh_token", accessToken: nil, grant: grant, client: F.client())
                == [.revokeGrant(userID: "alice", grantID: "g1")]
        )
        #expect(Revocation.effects(of: secrets.accessToken, hint: nil, accessToken: token, grant: grant, client: F.client(id: "x")).isEmpty)
        #expect(Revocation.effects(of: "alice:g1:unknown", hint: nil, accessToken: nil, grant: grant, client: F.client()).isEmpty)
    }

    @Test("token exchange refuses another client's subject and a subject about to expire")
    func tokenExchange() throws {
        let (grant, token, secrets) = try F.exchanged()
        let request = try TokenExchange.Request(
            URLEncodedForm([("subject_token", secrets.accessToken), ("subject_token_type", TokenExchange.accessTokenType), ("scope", "read")])
        )
        let validated = try TokenExchange.validate(
            request, subject: token, grant: grant, client: F.client(), options: F.options, origin: F.origin, now: F.now
        )
        #expect(validated.scope == ["read"])
        #expect(validated.audience == [F.origin])
        #expect(throws: GrantRefusal.self) {
            try TokenExchange.validate(request, subject: token, grant: grant, client: F.client(id: "x"), options: F.options, origin: F.origin, now: F.now)
        }
        #expect(throws: OAuthError.self) {
            try TokenExchange.validate(request, subject: token, grant: grant, client: F.client(), options: F.options, origin: F.origin, now: token.expiresAt - 30)
        }
    }

    @Test("completing an authorization stores the grant for the code's life and redirects with code, state and iss")
    func completion() throws {
        let (grant, transition, redirect) = try AuthorizationCompletion.complete(
            F.authRequest, client: F.client(),
            completion: CompleteAuthorizationOptions(request: F.authRequest, userID: "alice", scope: ["read"], props: [:]),
            scope: ["read"], secrets: .init(grantID: "g1", code: F.code, propsKey: F.key(1)), options: F.options, now: F.now
        )
        #expect(transition.effects == [.putGrant(grant, expiry: .after(600))])
        #expect(grant.authCodeID == TokenCrypto.hash(F.code) && grant.redirectURI == F.redirect)
        let items = URLComponents(string: redirect)?.queryItems ?? []
        #expect(items.map(\.name) == ["code", "state", "iss"])
        #expect(items.first?.value == F.code)
    }

    @Test("a dynamically registered client's first completed authorization keeps its registration for the full TTL")
    func firstAuthorizationKeepsTheRegistration() throws {
        var dynamic = F.client()
        dynamic.registeredBy = .dynamicRegistration
        dynamic.registrationDate = F.now - 100
        let (_, transition, _) = try AuthorizationCompletion.complete(
            F.authRequest, client: dynamic,
            completion: CompleteAuthorizationOptions(request: F.authRequest, userID: "alice", scope: [], props: [:]),
            scope: [], secrets: .init(grantID: "g1", code: F.code, propsKey: F.key(1)), options: F.options, now: F.now
        )
        guard case .putClient(let kept, .at(let expiry)) = transition.effects.last else {
            Issue.record("the registration was not kept"); return
        }
        #expect(kept.firstAuthorizedAt == F.now)
        #expect(expiry == F.now - 100 + 7_776_000)
    }
}
