/// An OAuth error code: the token endpoint's (RFC 6749 §5.2), the authorization endpoint's (§4.1.2.1), RFC 6750's
/// bearer-token errors, RFC 8707's `invalid_target` and RFC 7591's registration errors, in one vocabulary.
/// ``OAuthError/Code`` and ``AuthorizationError/Code`` are this type.
public struct OAuthErrorCode: OAuthVocabulary {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The request is malformed.
    public static let invalidRequest = OAuthErrorCode(rawValue: "invalid_request")
    /// Client authentication failed.
    public static let invalidClient = OAuthErrorCode(rawValue: "invalid_client")
    /// The grant (code, refresh token) is invalid, expired, revoked or issued to another client.
    public static let invalidGrant = OAuthErrorCode(rawValue: "invalid_grant")
    /// The client may not use this grant or response type.
    public static let unauthorizedClient = OAuthErrorCode(rawValue: "unauthorized_client")
    /// The grant type is not supported.
    public static let unsupportedGrantType = OAuthErrorCode(rawValue: "unsupported_grant_type")
    /// The requested scope is invalid.
    public static let invalidScope = OAuthErrorCode(rawValue: "invalid_scope")
    /// The access token is invalid, expired or revoked (RFC 6750).
    public static let invalidToken = OAuthErrorCode(rawValue: "invalid_token")
    /// The access token lacks a scope the operation needs (RFC 6750).
    public static let insufficientScope = OAuthErrorCode(rawValue: "insufficient_scope")
    /// The resource indicator is invalid or not allowed (RFC 8707).
    public static let invalidTarget = OAuthErrorCode(rawValue: "invalid_target")
    /// The registration metadata is invalid (RFC 7591).
    public static let invalidClientMetadata = OAuthErrorCode(rawValue: "invalid_client_metadata")
    /// The redirect URI of a registration is invalid (RFC 7591).
    public static let invalidRedirectURI = OAuthErrorCode(rawValue: "invalid_redirect_uri")
    /// The user or server denied the request (authorization endpoint).
    public static let accessDenied = OAuthErrorCode(rawValue: "access_denied")
    /// The server does not support this response type (authorization endpoint).
    public static let unsupportedResponseType = OAuthErrorCode(rawValue: "unsupported_response_type")
    /// The server failed unexpectedly.
    public static let serverError = OAuthErrorCode(rawValue: "server_error")
    /// The server is temporarily unable to handle the request.
    public static let temporarilyUnavailable = OAuthErrorCode(rawValue: "temporarily_unavailable")
}
