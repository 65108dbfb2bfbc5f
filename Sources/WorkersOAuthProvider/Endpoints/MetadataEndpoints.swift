import Foundation
import WorkersRuntime

/// The discovery documents: RFC 8414 authorization server metadata at `/.well-known/oauth-authorization-server`,
/// RFC 9728 protected resource metadata at `/.well-known/oauth-protected-resource[/<path>]`.
struct MetadataEndpoints: Sendable {
    let options: OAuthProvider.Options

    func authorizationServer(_ request: Request) throws -> Response {
        let tokenURL = ProviderEndpoint.url(options.tokenEndpoint, request: request)
        let document = AuthorizationServerMetadata(
            issuer: try Issuer.of(request, options: options),
            authorization_endpoint: ProviderEndpoint.url(options.authorizeEndpoint, request: request),
            token_endpoint: tokenURL,
            jwks_uri: options.accessTokenSigning.map { ProviderEndpoint.url($0.jwksEndpoint, request: request) },
            registration_endpoint: options.clientRegistrationEndpoint.map { ProviderEndpoint.url($0, request: request) },
            scopes_supported: options.scopesSupported,
            response_types_supported: [ResponseType.code.rawValue],
            response_modes_supported: ["query"],
            grant_types_supported: options.offeredGrantTypes.map(\.rawValue),
            token_endpoint_auth_methods_supported: TokenEndpointAuthMethod.supported.map(\.rawValue),
            revocation_endpoint: tokenURL,
            code_challenge_methods_supported: options.challengeMethods.map(\.rawValue),
            authorization_response_iss_parameter_supported: true,
            client_id_metadata_document_supported: options.clientIDMetadataDocuments ? true : nil
        )
        return ProviderResponses.json(document)
    }

    func protectedResource(_ request: Request, suffix: String) throws -> Response {
        let metadata = options.resourceMetadata ?? ResourceMetadata()
        let derived = suffix.isEmpty || suffix == "/" ? request.origin : request.origin + suffix
        let scopes = metadata.baselineScopes
        let document = ProtectedResourceMetadataDocument(
            resource: options.canonicalResource(at: request.origin) ?? derived,
            authorization_servers: try metadata.authorizationServers ?? [Issuer.of(request, options: options)],
            scopes_supported: scopes.isEmpty ? nil : scopes,
            bearer_methods_supported: metadata.bearerMethodsSupported ?? ["header"],
            resource_name: metadata.resourceName
        )
        return ProviderResponses.json(document)
    }
}
