public import WorkersRuntime

/// A bearer token accepted by ``OAuthProvider/Options/resolveExternalToken``.
public struct ExternalTokenResult: Sendable {
    /// The props the API handler sees in `ctx.props`.
    public var props: JSONValue
    /// The resources at which the credential is accepted (required, exactly, with a canonical resource).
    public var audience: [String]?

    /// Creates a result.
    public init(props: JSONValue, audience: [String]? = nil) {
        self.props = props
        self.audience = audience
    }
}
