import Foundation
public import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// A structured refusal from ``OAuthProvider/Options/resolveExternalToken``.
///
/// `invalid_token` with 401 and `insufficient_scope` with 403 get a synthesised `WWW-Authenticate: Bearer` challenge
/// listing ``requiredScopes`` unless ``headers`` already sets one; any other combination is sent as given.
///
/// ```swift
/// throw ExternalTokenError(.insufficientScope, description: "A write scope is required",
///                          status: .forbidden, requiredScopes: ["mcp:read", "mcp:write"])
/// ```
public struct ExternalTokenError: Error, Sendable, CustomStringConvertible {
    /// The error code.
    public var code: OAuthError.Code
    /// The description.
    public var errorDescription: String
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// Extra response headers.
    public var headers: HTTPFields
    /// The scopes the operation needs (sent as the challenge's `scope`).
    public var requiredScopes: [String]

    /// Creates an error.
    /// - Parameters:
    ///   - code: The error code, usually `.invalidToken` or `.insufficientScope`.
    ///   - description: The description.
    ///   - status: The HTTP status (401 by default).
    ///   - headers: Extra headers.
    ///   - requiredScopes: The scopes the operation needs.
    public init(
        _ code: OAuthError.Code,
        description: String,
        status: HTTPResponse.Status = .unauthorized,
        headers: HTTPFields = [:],
        requiredScopes: [String] = []
    ) {
        self.code = code
        self.errorDescription = description
        self.status = status
        self.headers = headers
        self.requiredScopes = requiredScopes
    }

    /// The wire spelling (or a readable summary).
    public var description: String { "\(code.rawValue): \(errorDescription)" }
}
