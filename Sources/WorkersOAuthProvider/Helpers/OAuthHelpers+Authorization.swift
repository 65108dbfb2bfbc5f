import Foundation
import Logging
public import WorkersRuntime

extension OAuthHelpers {
    /// Parses and validates an authorization request (`/authorize?response_type=code&client_id=...`).
    ///
    /// Scopes outside ``OAuthProvider/Options/scopesSupported`` (when configured) are dropped, as the token endpoint
    /// drops them: the request asks for what this server has, never more.
    ///
    /// - Throws: ``AuthorizationError``: without a redirect URI for a repeated parameter, an unknown client or an
    ///   unregistered redirect URI (render it yourself), with one for later problems; follow
    ///   ``AuthorizationError/redirectLocation``, which is `nil` for clients that registered themselves.
    public func parseAuthRequest(_ request: Request) async throws -> AuthRequest {
        do {
            return try await components.authorization.parse(request, store: store)
        } catch let error as AuthorizationError {
            ProviderMetrics.error(error.code, endpoint: "authorize")
            throw error
        }
    }

    /// Records the user's consent: stores a grant with a single-use code (valid 600 s) and returns the redirect to
    /// the client (`code`, `state`, `iss`). Scopes outside ``OAuthProvider/Options/scopesSupported`` (when
    /// configured) are not granted. Unless ``CompleteAuthorizationOptions/revokeExistingGrants`` is off, the
    /// user's older grants for the client are revoked afterwards.
    ///
    /// - Throws: ``OAuthProviderError`` for an invalid `userID`, unknown client or redirect URI (an ``AuthRequest``
    ///   that did not come from ``parseAuthRequest(_:)``); ``AuthorizationError`` when re-validation fails;
    ///   ``CIMDFetchError`` when a metadata-document client's document can no longer be used.
    public func completeAuthorization(_ completion: CompleteAuthorizationOptions) async throws -> CompletedAuthorization {
        let userID = completion.userID
        guard !userID.isEmpty, !userID.contains(":") else {
            throw OAuthProviderError("userID must be non-empty and must not contain \":\", got \"\(userID)\"")
        }
        var request = completion.request
        guard let client = try await store.client(request.clientID) else {
            throw OAuthProviderError("Invalid client_id \"\(request.clientID)\"")
        }
        guard RedirectURIRules.isAcceptable(request.redirectURI),
            RedirectURIRules.matches(request.redirectURI, registered: client.redirectURIs)
        else {
            throw OAuthProviderError("Invalid redirect URI. The redirect URI is not registered for this client.")
        }
        let validator = components.authorization
        try validator.validate(&request, client: client)
        let (grant, transition, redirectTo) = try AuthorizationCompletion.complete(
            request, client: client, completion: completion, scope: validator.supportedScopes(completion.scope),
            secrets: .make(userID: userID), options: options, now: now
        )
        try await store.apply(transition)
        if completion.revokeExistingGrants {
            // A metadata-document client id is shared by every installation of the client (each with its own
            // redirect URI, say a loopback port): only grants through the same redirect URI are older grants of it.
            try await revokeOlderGrants(
                of: userID, for: client.clientID, redirectURI: client.isMetadataDocumentClient ? grant.redirectURI : nil,
                keeping: grant.id
            )
        }
        return CompletedAuthorization(redirectTo: redirectTo)
    }

    /// Revokes `userID`'s grants for `clientID` (through `redirectURI`, when given; a grant without one never
    /// matches then) except `kept`, each on its own (one failure is logged, the rest go on).
    private func revokeOlderGrants(of userID: String, for clientID: String, redirectURI: String?, keeping kept: String) async throws {
        var cursor: String?
        var stale: [String] = []
        repeat {
            let page = try await listUserGrants(userID, limit: 1000, cursor: cursor)
            stale += page.items.filter { grant in
                grant.clientID == clientID && grant.id != kept && (redirectURI == nil || grant.redirectURI == redirectURI)
            }.map(\.id)
            cursor = page.cursor
        } while cursor != nil
        for id in stale {
            do { try await revokeGrant(id, userID: userID) } catch {
                options.logger.warning(
                    "Could not revoke an older grant",
                    metadata: ["grant": "\(id.escapedForLog)", "error": "\(String(describing: error).escapedForLog)"]
                )
            }
        }
    }
}
