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
        try await components.clients.store(client, expiry: .never, in: store)
    }

    /// The registered clients, a page at a time.
    /// - Parameters:
    ///   - limit: Page size (1...1000).
    ///   - cursor: The previous page's cursor.
    public func listClients(limit: Int = 100, cursor: String? = nil) async throws -> ListResult<ClientInfo> {
        try await components.clients.list(limit: limit, cursor: cursor, in: store)
    }

    /// Replaces a client's metadata (its id cannot change; a registered client keeps its expiry). The stored secret
    /// hash is kept unless `newSecret` is given; switching to `none` drops it, switching a public client to a secret
    /// method generates one.
    /// - Parameters:
    ///   - client: The updated metadata (typically a ``lookupClient(_:)`` result, modified).
    ///   - newSecret: A new plaintext secret to set.
    /// - Returns: The stored client and the plaintext secret if one was set, or `nil` when the client does not exist.
    public func updateClient(_ client: ClientInfo, newSecret: String? = nil) async throws -> RegisteredClient? {
        try await components.clients.update(client, newSecret: newSecret, in: store)
    }

    /// Deletes a client after revoking every grant issued to it.
    public func deleteClient(_ clientID: String) async throws {
        try await components.clients.delete(clientID, in: store)
    }
}
