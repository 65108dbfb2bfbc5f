import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

extension OAuthHelpers {
    /// Registers a client (stored with no expiry) on the operator's behalf: its error redirects are trusted (see
    /// ``ClientRegistrationSource``). A confidential client gets a generated 32-character secret unless
    /// `client.clientSecret` sets one; only its SHA-256 is stored and the plaintext is returned once.
    ///
    /// ```swift
    /// let registered = try await helpers.createClient(ClientInfo(
    ///     redirectURIs: ["https://app.example.com/callback"], tokenEndpointAuthMethod: .clientSecretBasic))
    /// print(registered.client.clientID, registered.clientSecret!)
    /// ```
    /// - Throws: ``OAuthProviderError`` for an unacceptable redirect URI.
    public func createClient(_ client: ClientInfo) async throws -> RegisteredClient {
        try await storeNewClient(client, expirationTtl: nil)
    }

    func storeNewClient(_ client: ClientInfo, expirationTtl: Int?) async throws -> RegisteredClient {
        var client = client
        if let bad = client.redirectURIs.first(where: { !RedirectURIRules.isAcceptable($0) }) {
            throw OAuthProviderError("Invalid redirect URI: \(bad)")
        }
        if client.clientID.isEmpty { client.clientID = TokenCrypto.randomString(length: TokenCrypto.idLength) }
        if client.grantTypes == nil {
            client.grantTypes = [.authorizationCode, .refreshToken] + (options.allowTokenExchangeGrant ? [.tokenExchange] : [])
        }
        if client.registeredBy == nil { client.registeredBy = .operator }
        if client.responseTypes == nil { client.responseTypes = [.code] }
        if client.registrationDate == nil { client.registrationDate = nowSeconds }
        var secret: String?
        if client.isPublic {
            client.clientSecret = nil
        } else {
            secret = client.clientSecret ?? TokenCrypto.randomString(length: TokenCrypto.tokenLength)
            client.clientSecret = secret.map(TokenCrypto.hash)
        }
        try await store.write(OAuthStore.clientKey(client.clientID), client, expirationTtl: expirationTtl)
        return RegisteredClient(client: client.publicView, clientSecret: secret)
    }

    /// The registered clients, a page at a time.
    public func listClients(limit: Int = 100, cursor: String? = nil) async throws -> ListResult<ClientInfo> {
        let page = try await store.kv.list(KVListOptions(prefix: "client:", limit: min(max(limit, 1), 1000), cursor: cursor))
        var items: [ClientInfo] = []
        for key in page.keys {
            if let client = try await store.read(key.name, as: ClientInfo.self) { items.append(client.publicView) }
        }
        return ListResult(items: items, cursor: page.listComplete ? nil : page.cursor)
    }

    /// Replaces a client's metadata (its id cannot change; a registered client keeps its expiry). The stored secret hash is kept unless `newSecret` is
    /// given; switching to `none` drops it, switching a public client to a secret method generates one.
    /// - Parameters:
    ///   - client: The updated metadata (typically a ``lookupClient(_:)`` result, modified).
    ///   - newSecret: A new plaintext secret to set.
    /// - Returns: The stored client and the plaintext secret if one was set, or `nil` when the client does not exist.
    public func updateClient(_ client: ClientInfo, newSecret: String? = nil) async throws -> RegisteredClient? {
        let key = OAuthStore.clientKey(client.clientID)
        guard let entry = try await store.kv.getEntry(key) else { return nil }
        let existing = try JSONDecoder().decode(ClientInfo.self, from: entry.value)
        if let bad = client.redirectURIs.first(where: { !RedirectURIRules.isAcceptable($0) }) {
            throw OAuthProviderError("Invalid redirect URI: \(bad)")
        }
        var updated = client
        updated.authMethodExplicit = true
        updated.registrationDate = existing.registrationDate
        var secret: String?
        if updated.isPublic {
            updated.clientSecret = nil
        } else if let newSecret {
            secret = newSecret
            updated.clientSecret = TokenCrypto.hash(newSecret)
        } else if let hash = existing.clientSecret {
            updated.clientSecret = hash
        } else {
            secret = TokenCrypto.randomString(length: TokenCrypto.tokenLength)
            updated.clientSecret = secret.map(TokenCrypto.hash)
        }
        // A registered client keeps its expiry (the anchor re-applied the full registration TTL on every update).
        try await store.write(key, updated, expiration: entry.expiration.map { max($0, nowSeconds + 60) })
        return RegisteredClient(client: updated.publicView, clientSecret: secret)
    }

    /// Deletes a client after revoking every grant issued to it.
    public func deleteClient(_ clientID: String) async throws {
        for key in try await store.keys(prefix: "grant:") {
            guard let grant = try await store.read(key, as: StoredGrant.self), grant.clientId == clientID else { continue }
            try await revokeGrant(grant.id, userID: grant.userId)
        }
        try await store.kv.delete(OAuthStore.clientKey(clientID))
    }
}
