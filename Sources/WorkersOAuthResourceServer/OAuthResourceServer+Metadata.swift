import Foundation
import HTTPTypes
public import WorkersRuntime

extension OAuthResourceServer {
    /// The well-known prefix of RFC 9728 metadata.
    static let metadataPrefix = "/.well-known/oauth-protected-resource"

    /// The path of this resource's RFC 9728 document: `/.well-known/oauth-protected-resource` followed by the
    /// resource's path (`/.well-known/oauth-protected-resource/mcp` for `https://notes.example.com/mcp`).
    public var resourceMetadataPath: String {
        let path = URL(string: configuration.resource).map(\.path) ?? ""
        return Self.metadataPrefix + (path == "/" ? "" : path)
    }

    /// The absolute URL of this resource's RFC 9728 document, on the resource's origin: what challenges name in
    /// `resource_metadata`.
    public var resourceMetadataURL: String {
        (URL(string: configuration.resource)?.origin ?? "") + resourceMetadataPath
    }

    /// The RFC 9728 document: `resource`, `authorization_servers` (the trusted issuer), `scopes_supported` (when
    /// configured), `bearer_methods_supported` (`["header"]`) and `resource_name` (when configured).
    public var resourceMetadataDocument: JSONValue {
        var document: [String: JSONValue] = [
            "resource": .string(configuration.resource),
            "authorization_servers": [.string(configuration.issuer)],
            "bearer_methods_supported": ["header"],
        ]
        if !configuration.scopesSupported.isEmpty {
            document["scopes_supported"] = .array(configuration.scopesSupported.map(JSONValue.string))
        }
        if let name = configuration.resourceName { document["resource_name"] = .string(name) }
        return .object(document)
    }

    /// Whether `path` is this resource's metadata document: ``resourceMetadataPath``, or the bare
    /// `/.well-known/oauth-protected-resource` that clients try for a resource at a path.
    public func isResourceMetadataPath(_ path: String) -> Bool {
        path == resourceMetadataPath || path == Self.metadataPrefix
    }

    /// The answer to a request for the metadata document: the JSON document for `GET`/`HEAD`, `405` otherwise,
    /// CORS headers (and a `204` preflight) for browser clients.
    public func resourceMetadataResponse(for request: Request) -> Response {
        if request.method == .options { return CORS.apply(to: Response(status: .noContent), request: request) }
        guard request.method == .get || request.method == .head else {
            return CORS.apply(
                to: .oauthError("invalid_request", description: "Use GET", status: .methodNotAllowed, headers: [.allow: "GET, HEAD"]),
                request: request
            )
        }
        let response = (try? Response.json(resourceMetadataDocument, headers: [.cacheControl: "max-age=300"]))
            ?? Response(status: .internalServerError)
        return CORS.apply(to: response, request: request)
    }

    /// The `WWW-Authenticate` challenge of this resource.
    /// - Parameter error: The RFC 6750 error code, or `nil` for a request without a token.
    func challenge(error: String?) -> String {
        BearerChallenge(
            realm: configuration.realm, resourceMetadata: resourceMetadataURL, error: error, scope: configuration.scopesSupported
        ).headerValue
    }

    /// `401` for a request without a bearer token.
    func missingTokenResponse() -> Response {
        .oauthError(
            "invalid_request", description: "Missing bearer token", status: .unauthorized,
            headers: [.wwwAuthenticate: challenge(error: nil)]
        )
    }

    /// `401 invalid_token`, with a fixed description (the reason is only logged).
    func invalidTokenResponse() -> Response {
        .oauthError(
            "invalid_token", description: "The access token is invalid or expired", status: .unauthorized,
            headers: [.wwwAuthenticate: challenge(error: "invalid_token")]
        )
    }

    /// `503 temporarily_unavailable`: the authorization server could not be asked; never admits.
    func unavailableResponse() -> Response {
        .oauthError(
            "temporarily_unavailable", description: "The authorization server cannot be reached; try again",
            status: .serviceUnavailable, headers: [HTTPField.Name("Retry-After")!: "5"]
        )
    }
}
