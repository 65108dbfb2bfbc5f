import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// The provider's helpers (`env.oauthProvider`): authorization, clients, grants, tokens and housekeeping.
///
/// Obtain them inside a request from `env.oauthProvider`, or outside one from
/// ``OAuthProvider/helpers(env:)`` / ``OAuthProvider/helpers(env:options:)``.
public struct OAuthHelpers: Sendable {
    let options: OAuthProvider.Options
    let store: OAuthStore
    let rateLimiters: ProviderRateLimiters

    init(options: OAuthProvider.Options, kv: any KVNamespace, rateLimiters: ProviderRateLimiters = .none) {
        self.options = options
        self.store = OAuthStore(kv: kv)
        self.rateLimiters = rateLimiters
    }

    var nowSeconds: Int { Int(options.now().timeIntervalSince1970) }

    /// The issuer for `request`: the token endpoint's origin.
    /// - Throws: ``InsecureIssuerError`` when it is plain http on a non-loopback host.
    func issuer(for request: Request) throws -> String {
        let issuer: String
        if options.tokenEndpoint.hasPrefix("/") {
            issuer = request.origin
        } else {
            issuer = URL(string: options.tokenEndpoint)?.origin ?? request.origin
        }
        if let url = URL(string: issuer), url.scheme?.lowercased() != "https",
            !RedirectURIRules.isLoopback(url.host ?? "")
        {
            throw InsecureIssuerError(issuer: issuer)
        }
        return issuer
    }

    /// The client registered as `clientID`, or `nil` when there is none.
    /// - Throws: KV errors.
    public func lookupClient(_ clientID: String) async throws -> ClientInfo? {
        try await store.client(clientID)?.publicView
    }

    /// Revokes a grant: deletes its access tokens, then the grant (its refresh token and any code die with it).
    /// - Parameters:
    ///   - grantID: The grant.
    ///   - userID: Its user.
    public func revokeGrant(_ grantID: String, userID: String) async throws {
        let prefix = "token:\(userID):\(grantID):"
        for key in try await store.keys(prefix: prefix) {
            try await store.kv.delete(key)
        }
        try await store.kv.delete(OAuthStore.grantKey(userId: userID, grantId: grantID))
    }

    /// The grants of `userID`, a page at a time.
    /// - Parameters:
    ///   - userID: The user.
    ///   - limit: Page size (1...1000).
    ///   - cursor: The previous page's cursor.
    public func listUserGrants(_ userID: String, limit: Int = 100, cursor: String? = nil) async throws
        -> ListResult<GrantSummary>
    {
        let page = try await store.kv.list(
            KVListOptions(prefix: "grant:\(userID):", limit: min(max(limit, 1), 1000), cursor: cursor)
        )
        var items: [GrantSummary] = []
        for key in page.keys {
            guard let grant = try await store.read(key.name, as: StoredGrant.self) else { continue }
            items.append(
                GrantSummary(
                    id: grant.id, clientID: grant.clientId, userID: grant.userId, scope: grant.scope,
                    metadata: grant.metadata, createdAt: grant.createdAt, expiresAt: grant.expiresAt,
                    redirectURI: grant.redirectUri
                )
            )
        }
        return ListResult(items: items, cursor: page.listComplete ? nil : page.cursor)
    }

    /// Decodes an access token issued here: `nil` when it is malformed, unknown, revoked or expired.
    public func unwrapToken(_ token: String) async throws -> TokenSummary? {
        guard let parts = TokenParts(token),
            let record = try await store.token(userId: parts.userId, grantId: parts.grantId, tokenId: TokenCrypto.hash(token)),
            record.expiresAt > nowSeconds
        else { return nil }
        let key = try TokenCrypto.unwrapKey(record.wrappedEncryptionKey, with: token)
        let props = try TokenCrypto.decryptProps(record.grant.encryptedProps, key: key)
        return TokenSummary(
            id: record.id, grantID: record.grantId, userID: record.userId, createdAt: record.createdAt,
            expiresAt: record.expiresAt, audience: record.audience?.values, scope: record.scope,
            clientID: record.grant.clientId, grantScope: record.grant.scope, props: props
        )
    }
}
