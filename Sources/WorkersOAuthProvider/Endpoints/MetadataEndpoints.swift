import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// RFC 8414 authorization server metadata.
struct AuthorizationServerMetadata: Encodable {
    let issuer: String
    let authorization_endpoint: String
    let token_endpoint: String
    let registration_endpoint: String?
    let scopes_supported: [String]?
    let response_types_supported: [String]
    let response_modes_supported: [String]
    let grant_types_supported: [String]
    let token_endpoint_auth_methods_supported: [String]
    let revocation_endpoint: String
    let code_challenge_methods_supported: [String]
    let authorization_response_iss_parameter_supported: Bool
}

/// RFC 9728 protected resource metadata.
struct ProtectedResourceMetadataDocument: Encodable {
    let resource: String
    let authorization_servers: [String]
    let scopes_supported: [String]?
    let bearer_methods_supported: [String]
    let resource_name: String?
}

extension OAuthHelpers {
    func authorizationServerMetadata(_ request: Request) throws -> Response {
        let tokenURL = ProviderEndpoint.url(options.tokenEndpoint, request: request)
        let document = AuthorizationServerMetadata(
            issuer: try issuer(for: request),
            authorization_endpoint: ProviderEndpoint.url(options.authorizeEndpoint, request: request),
            token_endpoint: tokenURL,
            registration_endpoint: options.clientRegistrationEndpoint.map { ProviderEndpoint.url($0, request: request) },
            scopes_supported: options.scopesSupported,
            response_types_supported: [ResponseType.code.rawValue],
            response_modes_supported: ["query"],
            grant_types_supported: [GrantType.authorizationCode.rawValue, GrantType.refreshToken.rawValue]
                + (options.allowTokenExchangeGrant ? [GrantType.tokenExchange.rawValue] : []),
            token_endpoint_auth_methods_supported: TokenEndpointAuthMethod.supported.map(\.rawValue),
            revocation_endpoint: tokenURL,
            code_challenge_methods_supported: options.challengeMethods.map(\.rawValue),
            authorization_response_iss_parameter_supported: true
        )
        return ProviderResponses.json(document)
    }

    func protectedResourceMetadata(_ request: Request, suffix: String) throws -> Response {
        let metadata = options.resourceMetadata ?? ResourceMetadata()
        let derived = suffix.isEmpty || suffix == "/" ? request.origin : request.origin + suffix
        let scopes = metadata.baselineScopes
        let document = ProtectedResourceMetadataDocument(
            resource: options.canonicalResource(at: request.origin) ?? derived,
            authorization_servers: try metadata.authorizationServers ?? [issuer(for: request)],
            scopes_supported: scopes.isEmpty ? nil : scopes,
            bearer_methods_supported: metadata.bearerMethodsSupported ?? ["header"],
            resource_name: metadata.resourceName
        )
        return ProviderResponses.json(document)
    }
}
