/// How a client authenticates at the token endpoint
/// ([RFC 7591 §2](https://www.rfc-editor.org/rfc/rfc7591#section-2)).
public struct TokenEndpointAuthMethod: OAuthVocabulary {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// HTTP Basic with the client id and secret.
    public static let clientSecretBasic = TokenEndpointAuthMethod(rawValue: "client_secret_basic")
    /// `client_id` and `client_secret` in the form body.
    public static let clientSecretPost = TokenEndpointAuthMethod(rawValue: "client_secret_post")
    /// A public client: `client_id` only (PKCE is then mandatory).
    public static let none = TokenEndpointAuthMethod(rawValue: "none")

    /// The methods this provider accepts, in preference order.
    public static let supported: [TokenEndpointAuthMethod] = [.clientSecretBasic, .clientSecretPost, .none]

    /// Whether the method uses a client secret.
    public var usesSecret: Bool { self == .clientSecretBasic || self == .clientSecretPost }
}
