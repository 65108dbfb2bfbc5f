/// The outcome of ``OAuthHelpers/completeAuthorization(_:)``.
public struct CompletedAuthorization: Sendable, Equatable {
    /// Where to send the browser: the client's redirect URI with `code`, `state` and `iss`.
    public var redirectTo: String
}
