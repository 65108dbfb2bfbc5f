import Crypto
import Foundation
import Testing
import WorkersRuntime
import WorkersTesting

@testable import WorkersOAuthProvider

/// ``CodeExchange`` without any KV: every branch of validating and spending a code.
@Suite("CodeExchange (pure)")
struct CodeExchangeTests {
    typealias F = TransitionFixtures

    static func validate(_ form: URLEncodedForm, grant: StoredGrant?, client: ClientInfo = F.client()) throws -> UnlockedGrant {
        try CodeExchange.validate(CodeExchange.Request(form), grant: grant, client: client, options: F.options, origin: F.origin)
    }

    @Test("a valid code spends itself: the grant loses the code and gains a refresh token, an access token is stored")
    func spendsTheCode() throws {
        let validated = try Self.validate(F.exchangeForm(), grant: F.grantWithCode())
        #expect(validated.props == ["login": "alice"])
        #expect(validated.scope == ["read", "write"])
        let secrets = F.secrets("a")
        let (transition, body) = try CodeExchange.issue(
            validated, hook: nil, client: F.client(), secrets: secrets, options: F.options, origin: F.origin, now: F.now
        )
        guard case .putGrant(let grant, .at(let expiry)) = transition.effects[0],
            case .putToken(let token, let ttl) = transition.effects[1]
        else { Issue.record("unexpected effects \(transition.effects)"); return }
        #expect(grant.authCodeWrappedKey == nil && grant.codeChallenge == nil)
        #expect(grant.refreshTokenID == TokenCrypto.hash(secrets.refreshToken))
        #expect(grant.expiresAt == F.now + 2_592_000 && expiry == F.now + 2_592_000)
        #expect(token.id == TokenCrypto.hash(secrets.accessToken) && ttl == 3_600)
        #expect(token.audience?.values == [F.origin], "no resource asked for: bound to the origin")
        #expect(body.access_token == secrets.accessToken && body.refresh_token == secrets.refreshToken && body.resource == nil)
        let key = try TokenCrypto.unwrapKey(token.wrappedEncryptionKey, with: secrets.accessToken)
        #expect(try TokenCrypto.decryptProps(token.grant.encryptedProps, key: key) == ["login": "alice"])
    }

    @Test("a replayed code is refused and revokes its grant")
    func replayRevokes() throws {
        let spent = try F.exchanged().grant
        do {
            _ = try Self.validate(F.exchangeForm(), grant: spent)
            Issue.record("a replay was accepted")
        } catch let refusal as GrantRefusal {
            #expect(refusal.error.code == .invalidGrant)
            #expect(refusal.effects == [.revokeGrant(userID: "alice", grantID: "g1")])
        }
    }

    @Test(
        "refusals that leave the code usable",
        arguments: [
            ("wrong verifier", "invalid_grant"), ("malformed verifier", "invalid_grant"), ("missing verifier", "invalid_request"),
            ("other client", "invalid_grant"), ("unknown code", "invalid_grant"), ("foreign resource", "invalid_target"),
            ("no grant", "invalid_grant"),
        ]
    )
    func refusals(_ name: String, code: String) throws {
        let grant = try F.grantWithCode()
        let form: URLEncodedForm
        var client = F.client()
        var record: StoredGrant? = grant
        switch name {
        case "wrong verifier": form = F.exchangeForm(verifier: String(repeating: "w", count: 50))
        case "malformed verifier": form = F.exchangeForm(verifier: "short")
        case "missing verifier": form = F.exchangeForm(verifier: nil)
        case "other client": form = F.exchangeForm(); client = F.client(id: "client-2")
        case "unknown code": form = F.exchangeForm(code: "alice:g1:another-code-0123456789012345")
        case "foreign resource": form = F.exchangeForm(resource: "https://evil.example/mcp")
        default: form = F.exchangeForm(); record = nil
        }
        #expect(throws: OAuthError.self) { try Self.validate(form, grant: record, client: client) }
        do { _ = try Self.validate(form, grant: record, client: client) } catch let error as OAuthError {
            #expect(error.code.rawValue == code, "\(name)")
        }
    }

    @Test("scopes only shrink; a hook can replace the props and narrow the scope, but not shorten the token below 60 s")
    func downscopingAndHooks() throws {
        let validated = try Self.validate(F.exchangeForm(scope: "read admin"), grant: F.grantWithCode())
        #expect(validated.scope == ["read"])
        let secrets = F.secrets("b")
        let hook = TokenExchangeResult(newProps: ["login": "renamed"], accessTokenScope: ["read", "admin"])
        let (transition, body) = try CodeExchange.issue(
            validated, hook: hook, client: F.client(), secrets: secrets, options: F.options, origin: F.origin, now: F.now
        )
        guard case .putGrant(let grant, _) = transition.effects[0] else { Issue.record("no grant"); return }
        #expect(try TokenCrypto.decryptProps(grant.encryptedProps, key: secrets.propsKey) == ["login": "renamed"])
        #expect(body.scope == "read")
        #expect(throws: OAuthError.self) {
            try CodeExchange.issue(
                validated, hook: TokenExchangeResult(accessTokenTTL: 30), client: F.client(), secrets: secrets, options: F.options,
                origin: F.origin, now: F.now
            )
        }
    }

    @Test("a client not registered for refresh_token gets none, and its grant ends with the access token")
    func noRefreshTokenWithoutTheGrantType() throws {
        let validated = try Self.validate(F.exchangeForm(), grant: F.grantWithCode())
        let (transition, body) = try CodeExchange.issue(
            validated, hook: nil, client: F.client([.authorizationCode]), secrets: F.secrets("c"), options: F.options,
            origin: F.origin, now: F.now
        )
        guard case .putGrant(let grant, _) = transition.effects[0] else { Issue.record("no grant"); return }
        #expect(body.refresh_token == nil && grant.refreshTokenID == nil)
        #expect(grant.expiresAt == F.now + 3_600)
    }
}
