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
    /// the client (`code`, `state`, `iss`). Scopes this server does not have for the request's resource are not
    /// granted. Unless ``CompleteAuthorizationOptions/revokeExistingGrants`` is off, the new grant replaces the
    /// user's older grants for the client (with several resources, for the same resource): it also holds their
    /// scopes (scope accumulation: a client that re-authorizes for a larger scope, after `insufficient_scope`,
    /// keeps what it had), and they are revoked afterwards.
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
        let older = completion.revokeExistingGrants ? try await olderGrants(of: userID, for: client, request: request) : []
        let scope = validator.supportedScopes(
            completion.scope + older.flatMap(\.scope), resource: request.resource?.first, origin: request.issuer ?? ""
        )
        let (grant, transition, redirectTo) = try AuthorizationCompletion.complete(
            request, client: client, completion: completion, scope: scope, secrets: .make(userID: userID), options: options,
            now: now
        )
        try await store.apply(transition)
        for stale in older where stale.id != grant.id {
            do { try await revokeGrant(stale.id, userID: userID) } catch {
                options.logger.warning(
                    "Could not revoke an older grant",
                    metadata: ["grant": "\(stale.id.escapedForLog)", "error": "\(String(describing: error).escapedForLog)"]
                )
            }
        }
        return CompletedAuthorization(redirectTo: redirectTo)
    }

    /// The grants a new authorization of `client` for `userID` replaces: the user's grants for the client; for a
    /// metadata-document client only those through the same redirect URI (one URL is shared by every installation
    /// of the client, each with its own redirect URI, say a loopback port); with several resources only those for
    /// the same resource.
    private func olderGrants(of userID: String, for client: ClientInfo, request: AuthRequest) async throws -> [GrantSummary] {
        let redirectURI = client.isMetadataDocumentClient ? request.redirectURI : nil
        let resource = options.resources.declared ? request.resource : nil
        return try await ListResult.collect { cursor in
            try await listUserGrants(userID, limit: 1000, cursor: cursor)
        }.filter { grant in
            grant.clientID == client.clientID && (redirectURI == nil || grant.redirectURI == redirectURI)
                && (resource == nil || grant.resource == resource)
        }
    }
}
