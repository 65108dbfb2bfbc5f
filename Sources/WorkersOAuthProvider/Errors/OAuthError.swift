public import HTTPTypes

/// A structured OAuth error, rendered as `{"error", "error_description"}` JSON (RFC 6749 §5.2).
///
/// Throw it from a ``OAuthProvider/Options/tokenExchangeCallback`` to refuse a grant with a precise error; the
/// provider turns it into the token endpoint's response. Any other error thrown there becomes an opaque 500.
///
/// ```swift
/// throw OAuthError(.invalidGrant, description: "The upstream account was disabled")
/// ```
public struct OAuthError: Error, Sendable, CustomStringConvertible {
    /// The error code's vocabulary.
    public typealias Code = OAuthErrorCode

    /// The error code.
    public var code: Code
    /// A human-readable description, sent as `error_description`.
    public var errorDescription: String
    /// The HTTP status, 400 by default.
    public var status: HTTPResponse.Status
    /// Extra response headers (they override the defaults).
    public var headers: HTTPFields

    /// Creates an error.
    /// - Parameters:
    ///   - code: The OAuth error code.
    ///   - description: The `error_description`.
    ///   - status: The HTTP status (400 by default).
    ///   - headers: Extra response headers.
    public init(_ code: Code, description: String, status: HTTPResponse.Status = .badRequest, headers: HTTPFields = [:]) {
        self.code = code
        self.errorDescription = description
        self.status = status
        self.headers = headers
    }

    /// The wire spelling (or a readable summary).
    public var description: String { "\(code.rawValue): \(errorDescription)" }
}
