public import HTTPTypes
public import WorkersRuntime

/// An error response the provider is about to send, given to ``OAuthProvider/Options/onError``.
public struct OAuthErrorEvent: Sendable {
    /// The error code.
    public var code: String
    /// The description sent on the wire.
    public var errorDescription: String
    /// The status.
    public var status: HTTPResponse.Status
    /// The response headers.
    public var headers: HTTPFields
    /// Detail that is never sent on the wire (for example an auth-method mismatch), for logs.
    public var internalDetail: String?
    /// The request, when there is one.
    public var request: Request?
}
