import Foundation
import HTTPTypes
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
            scopes_supported: options.scopesSupported ?? (options.resources.allScopes.isEmpty ? nil : options.resources.allScopes),
            response_types_supported: [ResponseType.code.rawValue],
            response_modes_supported: ["query"],
            grant_types_supported: options.supportedGrantTypes.map(\.rawValue),
            token_endpoint_auth_methods_supported: TokenEndpointAuthMethod.supported.map(\.rawValue),
            revocation_endpoint: tokenURL,
            code_challenge_methods_supported: options.challengeMethods.map(\.rawValue),
            authorization_response_iss_parameter_supported: true,
            client_id_metadata_document_supported: options.clientIDMetadataDocuments ? true : nil,
            introspection_endpoint: options.introspectionEndpoint.map { ProviderEndpoint.url($0, request: request) },
            introspection_endpoint_auth_methods_supported: options.introspectionEndpoint.map { _ in
                IntrospectionEndpoint.authMethods.map(\.rawValue)
            }
        )
        return ProviderResponses.json(document)
    }

    /// The RFC 9728 document at `/.well-known/oauth-protected-resource<suffix>`. With declared resources, the one
    /// whose canonical URI is this origin plus `suffix` (404 when none is); in the simple form, the one resource at
    /// every suffix.
    func protectedResource(_ request: Request, suffix: String) throws -> Response {
        if options.resources.declared {
            let here = request.origin + suffix
            guard let resource = options.resources.entries.first(where: { $0.canonical(at: request.origin) == here }) else {
                throw OAuthError(.invalidRequest, description: "No protected resource at \(here)", status: .notFound)
            }
            let metadata = options.resourceMetadata ?? ResourceMetadata()
            let scopes = ScopeRules.publishable(resource.scopes(fallback: options.scopesSupported))
            return ProviderResponses.json(
                ProtectedResourceMetadataDocument(
                    resource: resource.canonical(at: request.origin),
                    authorization_servers: try metadata.authorizationServers ?? [Issuer.of(request, options: options)],
                    scopes_supported: scopes.isEmpty ? nil : scopes,
                    bearer_methods_supported: ["header"],
                    resource_name: resource.name
                )
            )
        }
        let metadata = options.resourceMetadata ?? ResourceMetadata()
        let derived = suffix.isEmpty || suffix == "/" ? request.origin : request.origin + suffix
        let scopes = metadata.baselineScopes
        let document = ProtectedResourceMetadataDocument(
            resource: options.resources.entries.first?.canonical(at: request.origin) ?? derived,
            authorization_servers: try metadata.authorizationServers ?? [Issuer.of(request, options: options)],
            scopes_supported: scopes.isEmpty ? nil : scopes,
            bearer_methods_supported: metadata.bearerMethodsSupported ?? ["header"],
            resource_name: metadata.resourceName
        )
        return ProviderResponses.json(document)
    }
}
