/// What kind of application a client is (OpenID Connect Registration's `application_type`, adopted for MCP by
/// SEP-837): it decides which redirect URIs the client may register.
///
/// - `web`: a server-side application: `https` redirect URIs only, never loopback.
/// - `native`: an application on the user's device: loopback `http` (any port), private-use schemes
///   (`com.example.app:/callback`) or `https`.
///
/// A client that states none gets the union of both rules.
public struct ApplicationType: OAuthVocabulary {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A server-side web application.
    public static let web = ApplicationType(rawValue: "web")
    /// An application on the user's device (desktop, mobile, command line).
    public static let native = ApplicationType(rawValue: "native")
}
