import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// A structured OAuth error, rendered as `{"error", "error_description"}` JSON (RFC 6749 §5.2).
///
/// Throw it from a ``OAuthProvider/Options/tokenExchangeCallback`` to refuse a grant with a precise error; the
/// provider turns it into the token endpoint's response. Any other error thrown there becomes an opaque 500.
///
/// ```swift
/// throw OAuthError(.invalidGrant, description: "The upstream account was disabled")
/// ```
public struct OAuthError: Error, Sendable, CustomStringConvertible {
    /// An OAuth error code (RFC 6749 §5.2, RFC 6750 §3.1, RFC 8707, RFC 7591 §3.2.2).
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        /// The value as sent on the wire.
        public var rawValue: String
        /// Creates a value from its wire spelling.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The wire spelling (or a readable summary).
        public var description: String { rawValue }

        /// The request is malformed.
        public static let invalidRequest = Code(rawValue: "invalid_request")
        /// Client authentication failed.
        public static let invalidClient = Code(rawValue: "invalid_client")
        /// The grant (code, refresh token) is invalid, expired, revoked or issued to another client.
        public static let invalidGrant = Code(rawValue: "invalid_grant")
        /// The client may not use this grant or response type.
        public static let unauthorizedClient = Code(rawValue: "unauthorized_client")
        /// The grant type is not supported.
        public static let unsupportedGrantType = Code(rawValue: "unsupported_grant_type")
        /// The requested scope is invalid.
        public static let invalidScope = Code(rawValue: "invalid_scope")
        /// The access token is invalid, expired or revoked (RFC 6750).
        public static let invalidToken = Code(rawValue: "invalid_token")
        /// The access token lacks a scope the operation needs (RFC 6750).
        public static let insufficientScope = Code(rawValue: "insufficient_scope")
        /// The resource indicator is invalid or not allowed (RFC 8707).
        public static let invalidTarget = Code(rawValue: "invalid_target")
        /// The registration metadata is invalid (RFC 7591).
        public static let invalidClientMetadata = Code(rawValue: "invalid_client_metadata")
        /// The redirect URI of a registration is invalid (RFC 7591).
        public static let invalidRedirectURI = Code(rawValue: "invalid_redirect_uri")
        /// The server failed unexpectedly.
        public static let serverError = Code(rawValue: "server_error")
        /// The server is temporarily unable to handle the request.
        public static let temporarilyUnavailable = Code(rawValue: "temporarily_unavailable")
    }

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
