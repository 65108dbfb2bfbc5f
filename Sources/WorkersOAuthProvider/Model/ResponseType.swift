/// An authorization response type ([RFC 6749 §3.1.1](https://www.rfc-editor.org/rfc/rfc6749#section-3.1.1)).
public struct ResponseType: OAuthVocabulary {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The authorization code flow.
    public static let code = ResponseType(rawValue: "code")
    /// The implicit flow (not supported by this provider).
    public static let token = ResponseType(rawValue: "token")
}
