/// A PKCE code challenge method ([RFC 7636 §4.2](https://www.rfc-editor.org/rfc/rfc7636#section-4.2)).
public struct CodeChallengeMethod: OAuthVocabulary {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `S256`: base64url(SHA-256(verifier)).
    public static let s256 = CodeChallengeMethod(rawValue: "S256")
    /// `plain`: the verifier itself (only when ``OAuthProvider/Options/allowPlainPKCE`` is set).
    public static let plain = CodeChallengeMethod(rawValue: "plain")
}
