import WorkersRuntime

extension OAuthHelpers {
    /// The JWT signing keys (``OAuthProvider/Options/accessTokenSigning``): the current key first, then the retired
    /// ones still stored, newest first. Never a private key.
    /// - Throws: ``OAuthProviderError`` when signing is off; KV errors.
    public func signingKeys() async throws -> [SigningKeySummary] {
        try await requireSigningKeys().summaries(store: store)
    }

    /// Makes a newly generated key current. The previous current key is retired and stays published until its
    /// last token has expired (``AccessTokenSigning/lifetime`` + ``AccessTokenSigning/keyRefreshInterval`` + 60 s);
    /// retired keys past that are dropped. Other processes sign with the new key once they re-read the key set.
    ///
    /// ```swift
    /// let rotated = try await helpers.rotateSigningKey()
    /// print(rotated.keyID, rotated.retiredKeyPublishedUntil ?? 0)
    /// ```
    /// - Parameter algorithm: The new key's algorithm; the configured one by default.
    /// - Throws: ``OAuthProviderError`` when signing is off or the secret is missing or shorter than 32 characters;
    ///   KV errors.
    public func rotateSigningKey(algorithm: SigningAlgorithm? = nil) async throws -> RotatedSigningKey {
        try await requireSigningKeys().rotate(algorithm: algorithm, store: store, env: Env(secrets: secrets))
    }

    /// Removes a retired signing key at once, for a compromised key: tokens it signed stop verifying and it leaves
    /// the JWK Set (in other processes once they re-read the key set). The current key cannot be removed: rotate
    /// first, then remove it.
    /// - Parameter kid: The key's id.
    /// - Throws: ``OAuthProviderError`` when signing is off, for the current key, or for an unknown one; KV errors.
    public func removeSigningKey(_ kid: String) async throws {
        try await requireSigningKeys().remove(kid, store: store)
    }

    private func requireSigningKeys() throws(OAuthProviderError) -> SigningKeys {
        guard let keys = components.signingKeys else {
            throw OAuthProviderError("JWT access tokens are off: set OAuthProvider.Options.accessTokenSigning")
        }
        return keys
    }
}
