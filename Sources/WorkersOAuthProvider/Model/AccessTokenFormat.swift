/// How a resource's access tokens are made: opaque strings only the authorization server can check, or JWTs
/// ([RFC 9068](https://www.rfc-editor.org/rfc/rfc9068)) any resource server can check offline against the
/// published keys.
public struct AccessTokenFormat: Sendable, Hashable, CustomStringConvertible {
    /// The format's name (`opaque`, `jwt`).
    public let rawValue: String

    /// `{userId}:{grantId}:{secret}`, checked against the store (the default, and the anchor's only format).
    public static let opaque = AccessTokenFormat(rawValue: "opaque")
    /// A signed JWT (`typ: at+jwt`): `iss`, `sub`, `aud`, `client_id`, `scope`, `exp`, `iat`, `jti`; never props.
    public static let jwt = AccessTokenFormat(rawValue: "jwt")

    /// Creates a format from its name.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
}
