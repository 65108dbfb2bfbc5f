/// A `WWW-Authenticate: Bearer` challenge ([RFC 6750 §3](https://www.rfc-editor.org/rfc/rfc6750#section-3),
/// [RFC 9728 §5.1](https://www.rfc-editor.org/rfc/rfc9728#section-5.1)): one builder for every bearer guard.
///
/// Parameters come in a fixed order: `realm`, `resource_metadata`, `error`, `scope`, `error_description`.
///
/// ```swift
/// BearerChallenge(realm: "OAuth", resourceMetadata: prm, error: "invalid_token").headerValue
/// // Bearer realm="OAuth", resource_metadata="https://…/.well-known/oauth-protected-resource/mcp", error="invalid_token"
/// ```
public struct BearerChallenge: Sendable, Equatable {
    /// The protection space.
    public var realm: String
    /// The RFC 9728 metadata URL of the resource.
    public var resourceMetadata: String?
    /// An RFC 6750 error code (`invalid_request`, `invalid_token`, `insufficient_scope`).
    public var error: String?
    /// The scopes the resource (or the operation) needs.
    public var scope: [String]
    /// A human-readable description.
    public var errorDescription: String?

    /// Creates a challenge.
    public init(
        realm: String,
        resourceMetadata: String? = nil,
        error: String? = nil,
        scope: [String] = [],
        errorDescription: String? = nil
    ) {
        self.realm = realm
        self.resourceMetadata = resourceMetadata
        self.error = error
        self.scope = scope
        self.errorDescription = errorDescription
    }

    /// The `WWW-Authenticate` field value.
    public var headerValue: String {
        var value = "Bearer realm=\"\(realm)\""
        if let resourceMetadata { value += ", resource_metadata=\"\(resourceMetadata)\"" }
        if let error { value += ", error=\"\(error)\"" }
        if !scope.isEmpty { value += ", scope=\"\(scope.joined(separator: " "))\"" }
        if let errorDescription { value += ", error_description=\"\(errorDescription)\"" }
        return value
    }
}
