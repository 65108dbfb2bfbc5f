import Foundation
import WorkersKV
import WorkersRuntime

/// The provider's helpers (`env.oauthProvider`): authorization, clients, grants, tokens and housekeeping. This is
/// the API an application uses; the provider's endpoints are its own types.
///
/// Inside a request served by the provider, read them from `env.oauthProvider`; outside one, from
/// ``OAuthProvider/helpers(env:)`` or ``OAuthProvider/helpers(env:options:)``.
public struct OAuthHelpers: Sendable {
    let components: ProviderComponents
    let store: OAuthStore
    /// The environment's secrets (the signing keys' encryption secret is one); only the secrets, so building the
    /// helpers for a request copies one reference.
    let secrets: [String: String]

    init(components: ProviderComponents, store: OAuthStore, secrets: [String: String]) {
        self.components = components
        self.store = store
        self.secrets = secrets
    }

    /// The helpers of the provider serving the current request (see ``WorkersRuntime/Env/oauthProvider``).
    @TaskLocal static var current: OAuthHelpers?

    var options: OAuthProvider.Options { components.options }
    var now: Int { Int(options.now().timeIntervalSince1970) }

    /// The client registered as `clientID`, or, when ``OAuthProvider/Options/clientIDMetadataDocuments`` is on and
    /// `clientID` is a metadata document URL, the client its document describes; `nil` when there is none.
    /// - Throws: ``CIMDFetchError`` for a document that cannot be used; KV errors.
    public func lookupClient(_ clientID: String) async throws -> ClientInfo? {
        try await store.client(clientID)?.publicView
    }

    /// Revokes a grant: deletes its access tokens, then the grant (its refresh token and any code die with it).
    /// - Parameters:
    ///   - grantID: The grant.
    ///   - userID: Its user.
    public func revokeGrant(_ grantID: String, userID: String) async throws {
        try await store.revokeGrant(userID: userID, grantID: grantID)
    }

    /// One grant of `userID`, or `nil` when the user has no grant `grantID`.
    /// - Parameters:
    ///   - grantID: The grant.
    ///   - userID: Its user.
    public func lookupGrant(_ grantID: String, userID: String) async throws -> GrantSummary? {
        let grant = try await store.read(OAuthStore.grantKey(userID: userID, grantID: grantID), as: StoredGrant.self)
        // Ids may contain ':', so a key can be read under another split of it: only the grant asked for counts.
        guard let grant, grant.id == grantID, grant.userID == userID else { return nil }
        return grant.summary
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
            if let grant = try await store.read(key.name, as: StoredGrant.self) { items.append(grant.summary) }
        }
        return ListResult(items: items, cursor: page.listComplete ? nil : page.cursor)
    }

    /// Decodes an access token issued here: `nil` when it is malformed, unknown, revoked or expired.
    public func unwrapToken(_ token: String) async throws -> TokenSummary? {
        guard let parts = TokenParts.ofAccessToken(token), let record = try await store.accessToken(token, parts: parts),
            record.expiresAt > now
        else { return nil }
        let key = try TokenCrypto.unwrapKey(record.wrappedEncryptionKey, with: token)
        let props = try TokenCrypto.decryptProps(record.grant.encryptedProps, key: key)
        return TokenSummary(
            id: record.id, grantID: record.grantID, userID: record.userID, createdAt: record.createdAt,
            expiresAt: record.expiresAt, audience: record.audience?.values, scope: record.scope,
            clientID: record.grant.clientID, grantScope: record.grant.scope, props: props
        )
    }
}
