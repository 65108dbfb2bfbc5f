import Foundation
import WorkersKV
import WorkersRuntime

/// Client records: storing a new client (its secret generated and hashed), updating one, listing, deleting.
/// The helpers' client administration and the registration endpoint both go through it.
struct ClientRegistry: Sendable {
    let options: OAuthProvider.Options

    private var now: Int { Int(options.now().timeIntervalSince1970) }

    /// Stores a new client until `expiry`, with the defaults filled in: an id, grant and response types, the
    /// registration source (the operator unless set), the registration date, and a generated 32-character secret for
    /// a confidential client without one. Only the secret's SHA-256 is stored; the plaintext is returned once.
    /// - Throws: ``OAuthProviderError`` for an unacceptable redirect URI, or an id that would name a metadata document.
    func store(_ client: ClientInfo, expiry: GrantTransition.Expiry, in store: OAuthStore) async throws -> RegisteredClient {
        var client = client
        if let bad = client.redirectURIs.first(where: { !RedirectURIRules.isAcceptable($0) }) {
            throw OAuthProviderError("Invalid redirect URI: \(bad)")
        }
        if options.clientIDMetadataDocuments, CIMDClientID.isMetadataURL(client.clientID) {
            throw OAuthProviderError(
                "Client id \(client.clientID) is an https URL, which names a Client ID Metadata Document while those are accepted; choose another id"
            )
        }
        if client.clientID.isEmpty { client.clientID = TokenCrypto.randomString(length: TokenCrypto.idLength) }
        if client.grantTypes == nil { client.grantTypes = options.offeredGrantTypes }
        if client.registeredBy == nil { client.registeredBy = .operator }
        if client.responseTypes == nil { client.responseTypes = [.code] }
        if client.registrationDate == nil { client.registrationDate = now }
        var secret: String?
        if client.isPublic {
            client.clientSecret = nil
        } else {
            secret = client.clientSecret ?? TokenCrypto.randomString(length: TokenCrypto.tokenLength)
            client.clientSecret = secret.map(TokenCrypto.hash)
        }
        try await store.write(OAuthStore.clientKey(client.clientID), client, expiry: expiry)
        return RegisteredClient(client: client.publicView, clientSecret: secret)
    }

    /// Replaces a client's metadata; see ``OAuthHelpers/updateClient(_:newSecret:)``.
    func update(_ client: ClientInfo, newSecret: String?, in store: OAuthStore) async throws -> RegisteredClient? {
        let key = OAuthStore.clientKey(client.clientID)
        guard let entry = try await store.kv.getEntry(key) else { return nil }
        let existing = try JSONDecoder().decode(ClientInfo.self, from: entry.value)
        if let bad = client.redirectURIs.first(where: { !RedirectURIRules.isAcceptable($0) }) {
            throw OAuthProviderError("Invalid redirect URI: \(bad)")
        }
        var updated = client
        updated.authMethodExplicit = true
        updated.registrationDate = existing.registrationDate
        // Who registered the client, and whether a user authorized it, are the provider's to record.
        updated.registeredBy = existing.registeredBy
        updated.firstAuthorizedAt = existing.firstAuthorizedAt
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
        let expiry: GrantTransition.Expiry = entry.expiration.map { .at(max($0, now + Lifetimes.minimum)) } ?? .never
        try await store.write(key, updated, expiry: expiry)
        return RegisteredClient(client: updated.publicView, clientSecret: secret)
    }

    /// A page of clients.
    func list(limit: Int, cursor: String?, in store: OAuthStore) async throws -> ListResult<ClientInfo> {
        let page = try await store.kv.list(KVListOptions(prefix: "client:", limit: min(max(limit, 1), 1000), cursor: cursor))
        var items: [ClientInfo] = []
        for key in page.keys {
            if let client = try await store.read(key.name, as: ClientInfo.self) { items.append(client.publicView) }
        }
        return ListResult(items: items, cursor: page.listComplete ? nil : page.cursor)
    }

    /// Deletes a client after revoking every grant issued to it.
    func delete(_ clientID: String, in store: OAuthStore) async throws {
        for key in try await store.keys(prefix: "grant:") {
            guard let grant = try await store.read(key, as: StoredGrant.self), grant.clientID == clientID else { continue }
            try await store.revokeGrant(userID: grant.userID, grantID: grant.id)
        }
        try await store.kv.delete(OAuthStore.clientKey(clientID))
    }
}
