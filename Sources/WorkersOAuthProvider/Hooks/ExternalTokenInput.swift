public import WorkersRuntime

/// What ``OAuthProvider/Options/resolveExternalToken`` is given.
public struct ExternalTokenInput: Sendable {
    /// The bearer token as sent.
    public var token: String
    /// The API request.
    public var request: Request
    /// The environment.
    public var env: Env
}
