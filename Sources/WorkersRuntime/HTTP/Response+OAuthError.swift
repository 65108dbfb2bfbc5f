import Foundation
public import HTTPTypes

extension Response {
    /// An OAuth error response: `{"error": code, "error_description": description}`
    /// ([RFC 6749 §5.2](https://www.rfc-editor.org/rfc/rfc6749#section-5.2)) with `Cache-Control: no-store` and
    /// `Pragma: no-cache`. Every OAuth-style error body in the package (the provider's endpoints, its bearer guard,
    /// the static bearer-token guard) is built here.
    /// - Parameters:
    ///   - code: The error code (`invalid_request`, `invalid_token`, ...).
    ///   - description: The `error_description`.
    ///   - status: The status.
    ///   - headers: Extra headers; they win over the defaults.
    public static func oauthError(
        _ code: String, description: String, status: HTTPResponse.Status, headers: HTTPFields = [:]
    ) -> Response {
        var fields = OAuthErrorBody.headers
        for field in headers { fields[field.name] = headers[field.name] }
        let body = (try? JSONWriter.encode(OAuthErrorBody(error: code, error_description: description))) ?? []
        return Response(status: status, headers: fields, body: ResponseBody(bytes: body))
    }

    /// The headers of token and error responses: JSON, never cached (RFC 6749 §5.1).
    public static var noStoreHeaders: HTTPFields { OAuthErrorBody.headers }
}

/// The JSON of ``Response/oauthError(_:description:status:headers:)``.
private struct OAuthErrorBody: Encodable {
    let error: String
    let error_description: String

    static let headers: HTTPFields = [
        .contentType: "application/json",
        .cacheControl: "no-store",
        HTTPField.Name("Pragma")!: "no-cache",
    ]
}
