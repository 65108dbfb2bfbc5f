/// An OAuth grant type ([RFC 6749 §4](https://www.rfc-editor.org/rfc/rfc6749#section-4),
/// [RFC 8693](https://www.rfc-editor.org/rfc/rfc8693)).
public struct GrantType: OAuthVocabulary {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `authorization_code`.
    public static let authorizationCode = GrantType(rawValue: "authorization_code")
    /// `refresh_token`.
    public static let refreshToken = GrantType(rawValue: "refresh_token")
    /// `implicit` (not supported by this provider).
    public static let implicit = GrantType(rawValue: "implicit")
    /// `client_credentials` (RFC 6749 §4.4), for machine clients (with ``OAuthProvider/Options/allowClientCredentialsGrant``).
    public static let clientCredentials = GrantType(rawValue: "client_credentials")
    /// RFC 8693 token exchange (with ``OAuthProvider/Options/allowTokenExchangeGrant``).
    public static let tokenExchange = GrantType(rawValue: "urn:ietf:params:oauth:grant-type:token-exchange")
}
