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

    static let asMetadataPath = "/.well-known/oauth-authorization-server"
    static let prmPath = "/.well-known/oauth-protected-resource"

    init?(request: Request, options: OAuthProvider.Options) {
        let path = request.path
        if path == Self.asMetadataPath {
            self = .authorizationServerMetadata
        } else if path == Self.prmPath || path.hasPrefix(Self.prmPath + "/") {
            self = .protectedResourceMetadata(suffix: String(path.dropFirst(Self.prmPath.count)))
        } else if Self.matches(options.tokenEndpoint, request) {
            self = .token
        } else if let registration = options.clientRegistrationEndpoint, Self.matches(registration, request) {
            self = .registration
        } else {
            return nil
        }
    }

    /// A path endpoint equals the request path; a URL endpoint matches host and path (scheme and port ignored).
    static func matches(_ endpoint: String, _ request: Request) -> Bool {
        if endpoint.hasPrefix("/") { return request.path == endpoint }
        guard let url = URL(string: endpoint) else { return false }
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        return url.host?.lowercased() == request.url.host?.lowercased() && (path.isEmpty ? "/" : path) == request.path
    }

    /// The absolute URL of an endpoint, resolving a path against the request's origin.
    static func url(_ endpoint: String, request: Request) -> String {
        endpoint.hasPrefix("/") ? request.origin + endpoint : endpoint
    }
}

/// Standard provider responses.
enum ProviderResponses {
    struct ErrorBody: Encodable {
        let error: String
        let error_description: String
    }

    /// The no-store headers of token and error responses.
    static var noStoreHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Pragma")!] = "no-cache"
        return headers
    }

    /// `{"error", "error_description"}` with no-store headers; `extra` headers win.
    static func error(code: String, description: String, status: HTTPResponse.Status, extra: HTTPFields = [:]) -> Response {
        var headers = noStoreHeaders
        for field in extra { headers[field.name] = extra[field.name] }
        let body = (try? JSONEncoder().encode(ErrorBody(error: code, error_description: description))) ?? Data()
        return Response(status: status, headers: headers, body: ResponseBody(bytes: body))
    }

    /// The opaque 500 of an unexpected failure.
    static func serverError() -> Response {
        error(code: "server_error", description: "Internal server error", status: .internalServerError)
    }

    /// A JSON document, optionally with no-store headers.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, noStore: Bool = false) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = noStore ? noStoreHeaders : HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(bytes: data))
    }
}

/// An OAuth error with detail for logs and ``OAuthProvider/Options/onError`` that never goes on the wire.
struct DetailedOAuthError: Error {
    let error: OAuthError
    let detail: String
}

/// The issuer is plain http on a non-loopback host: refused.
struct InsecureIssuerError: Error, CustomStringConvertible {
    let issuer: String
    var description: String { "Refusing to act as issuer \(issuer): an issuer must use https (http only on loopback hosts)" }
}
