/// Who registered a client: the operator (through ``OAuthHelpers/createClient(_:)``), or the client itself
/// (dynamic client registration, RFC 7591, or a Client ID Metadata Document it publishes).
///
/// A client that registered itself is vouched for by nobody, so until a user has approved one of its requests the
/// provider never sends a browser to its redirect URI, not even with an error (RFC 9700 §4.11.2): see
/// ``AuthorizationError/redirectLocation``.
public struct ClientRegistrationSource: OAuthVocabulary {
    /// The value as stored.
    public var rawValue: String
    /// Creates a value from its stored spelling.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Created by the operator through the helpers.
    public static let `operator` = ClientRegistrationSource(rawValue: "operator")
    /// Registered itself at the registration endpoint (RFC 7591).
    public static let dynamicRegistration = ClientRegistrationSource(rawValue: "dynamic_registration")
    /// Identified by a Client ID Metadata Document: the client id is the document's `https` URL, and the client is
    /// what the document says (fetched and cached, never stored as a client record).
    public static let metadataDocument = ClientRegistrationSource(rawValue: "metadata_document")
}
