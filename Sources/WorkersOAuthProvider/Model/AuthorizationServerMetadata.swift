/// RFC 8414 authorization server metadata.
struct AuthorizationServerMetadata: Encodable {
    let issuer: String
    let authorization_endpoint: String
    let token_endpoint: String
    /// The JWK Set of the JWT signing keys; present only with ``OAuthProvider/Options/accessTokenSigning``.
    let jwks_uri: String?
    let registration_endpoint: String?
    let scopes_supported: [String]?
    let response_types_supported: [String]
    let response_modes_supported: [String]
    let grant_types_supported: [String]
    let token_endpoint_auth_methods_supported: [String]
    let revocation_endpoint: String
    let code_challenge_methods_supported: [String]
    let authorization_response_iss_parameter_supported: Bool
    /// Present (`true`) only when Client ID Metadata Documents are accepted.
    let client_id_metadata_document_supported: Bool?
    /// RFC 7662 / RFC 8414 §2: present only when introspection is on.
    let introspection_endpoint: String?
    /// The client authentication methods the introspection endpoint accepts (confidential clients only).
    let introspection_endpoint_auth_methods_supported: [String]?
}
