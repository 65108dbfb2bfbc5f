import Foundation
import HTTPTypes
import WorkersRuntime

/// `POST clientRegistrationEndpoint`: RFC 7591 dynamic client registration. Open to anyone, so bounded: a rate per
/// source address, the body and field caps of ``ClientRegistrationLimits``, strict redirect URIs, and a short life
/// (``OAuthProvider/Options/unusedClientRegistrationTTL``) until a user first authorizes the client.
struct RegistrationEndpoint: Sendable {
    let options: OAuthProvider.Options
    let clients: ClientRegistry
    let rateLimiter: RateLimiter?

    func respond(to request: Request, store: OAuthStore) async throws -> Response {
        guard request.method == .post else {
            throw OAuthError(.invalidRequest, description: "Method not allowed", status: .methodNotAllowed)
        }
        try RateLimiter.check(
            rateLimiter, key: request.clientAddress ?? "unknown", now: options.now(), what: "client registrations from this address"
        )
        let limit = options.registrationLimits.maximumMetadataBytes
        let declared = request.headers[.contentLength].flatMap { Int($0) } ?? 0
        guard declared <= limit, request.data.count <= limit else {
            throw OAuthError(
                .invalidClientMetadata, description: "Client metadata must be at most \(limit) bytes", status: .contentTooLarge
            )
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: request.data) } catch {
            throw OAuthError(.invalidRequest, description: "Invalid JSON payload")
        }
        guard let metadata = json.objectValue else {
            throw OAuthError(.invalidClientMetadata, description: "Client metadata must be a JSON object")
        }
        var client = try ClientMetadataValidator(
            metadata: metadata, limits: options.registrationLimits, offeredGrantTypes: options.offeredGrantTypes
        ).validate()
        if client.isPublic, options.disallowPublicClientRegistration {
            throw OAuthError(.invalidClientMetadata, description: "Public client registration is not allowed")
        }
        if let policy = options.clientRegistrationCallback,
            let refusal = try await policy(ClientRegistrationInput(clientMetadata: json, request: request))
        {
            throw refusal
        }
        let ttl = options.clientRegistrationSeconds
        let now = Int(options.now().timeIntervalSince1970)
        client.registrationDate = now
        client.registeredBy = .dynamicRegistration
        let registered = try await clients.store(client, expiry: .after(min(options.unusedClientRegistrationTTL, ttl ?? .max)), in: store)
        let stored = registered.client
        let issuedAt = stored.registrationDate ?? now
        let body = RegistrationResponseBody(
            client_id: stored.clientID, redirect_uris: stored.redirectURIs, client_name: stored.clientName,
            logo_uri: stored.logoURI, client_uri: stored.clientURI, policy_uri: stored.policyURI, tos_uri: stored.tosURI,
            jwks_uri: stored.jwksURI, contacts: stored.contacts,
            grant_types: (stored.grantTypes ?? []).map(\.rawValue), response_types: (stored.responseTypes ?? []).map(\.rawValue),
            token_endpoint_auth_method: stored.tokenEndpointAuthMethod.rawValue,
            application_type: stored.applicationType?.rawValue, client_id_issued_at: issuedAt,
            client_secret: registered.clientSecret,
            client_secret_expires_at: registered.clientSecret == nil ? nil : ttl.map { issuedAt + $0 } ?? 0,
            client_secret_issued_at: registered.clientSecret == nil ? nil : issuedAt
        )
        return ProviderResponses.json(body, status: .created, noStore: true)
    }
}
