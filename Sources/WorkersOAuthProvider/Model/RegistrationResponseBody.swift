/// The body of a successful registration (RFC 7591 §3.2.1).
struct RegistrationResponseBody: Encodable {
    let client_id: String
    let redirect_uris: [String]
    let client_name: String?
    let logo_uri: String?
    let client_uri: String?
    let policy_uri: String?
    let tos_uri: String?
    let jwks_uri: String?
    let contacts: [String]?
    let grant_types: [String]
    let response_types: [String]
    let token_endpoint_auth_method: String
    let application_type: String?
    let client_id_issued_at: Int
    let client_secret: String?
    let client_secret_expires_at: Int?
    let client_secret_issued_at: Int?
}
