import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// The endpoints the provider itself serves.
enum ProviderEndpoint: Equatable {
    case authorizationServerMetadata
    case protectedResourceMetadata(suffix: String)
    case token
    case registration
    /// RFC 7662 token introspection, when ``OAuthProvider/Options/introspectionEndpoint`` is set.
    case introspection
    /// The JWK Set of the JWT signing keys (only with ``OAuthProvider/Options/accessTokenSigning``).
    case jwks

    static let asMetadataPath = "/.well-known/oauth-authorization-server"
    static let prmPath = "/.well-known/oauth-protected-resource"

    init?(request: Request, options: OAuthProvider.Options) {
        let path = request.path
        if path == Self.asMetadataPath {
            self = .authorizationServerMetadata
        } else if path == Self.prmPath || path.hasPrefix(Self.prmPath + "/") {
            self = .protectedResourceMetadata(suffix: String(path.dropFirst(Self.prmPath.count)))
        } else if let signing = options.accessTokenSigning, request.path == signing.jwksEndpoint {
            self = .jwks
        } else if Self.matches(options.tokenEndpoint, request) {
            self = .token
        } else if let registration = options.clientRegistrationEndpoint, Self.matches(registration, request) {
            self = .registration
        } else if let introspection = options.introspectionEndpoint, Self.matches(introspection, request) {
            self = .introspection
        } else {
            return nil
        }
    }

    /// The endpoint's name in metrics: the ``WorkersRuntime/Response/metricsRoute`` of its answers and the
    /// `endpoint` label of its errors. Revocation is a form posted to the token endpoint, so it counts as `token`.
    var metricsRoute: StaticString {
        switch self {
        case .authorizationServerMetadata, .protectedResourceMetadata, .jwks: "metadata"
        case .token: "token"
        case .registration: "register"
        case .introspection: "introspect"
        }
    }

    /// ``metricsRoute`` as a label value.
    var metricsLabel: String { metricsRoute.description }

    /// A path endpoint equals the request path; a URL endpoint matches host and path (scheme and port ignored).
    static func matches(_ endpoint: String, _ request: Request) -> Bool {
        if endpoint.hasPrefix("/") { return request.path == endpoint }
        guard let url = URL(string: endpoint) else { return false }
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        return url.host?.lowercased() == request.url.host?.lowercased() && (path.isEmpty ? "/" : path) == request.path
    }

    /// The URL of the RFC 9728 metadata document of resource `uri` (absolute): the well-known path inserted between
    /// its origin and its path (RFC 9728 §3.1).
    static func metadataURL(of uri: String) -> String {
        guard let url = URL(string: uri) else { return uri }
        let origin = url.origin
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        return origin + prmPath + (path == "/" ? "" : path)
    }

    /// The absolute URL of an endpoint, resolving a path against the request's origin.
    static func url(_ endpoint: String, request: Request) -> String {
        endpoint.hasPrefix("/") ? request.origin + endpoint : endpoint
    }
}
