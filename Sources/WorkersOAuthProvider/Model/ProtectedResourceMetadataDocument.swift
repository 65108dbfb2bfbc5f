/// RFC 9728 protected resource metadata.
struct ProtectedResourceMetadataDocument: Encodable {
    let resource: String
    let authorization_servers: [String]
    let scopes_supported: [String]?
    let bearer_methods_supported: [String]
    let resource_name: String?
}
