/// Bounds on what an unauthenticated caller can make the provider store through dynamic client registration.
///
/// The registration endpoint is open to anyone, so every field it keeps is capped: a request past a bound is refused
/// (`413` for the body, `400 invalid_client_metadata` / `invalid_redirect_uri` for a field) and nothing is stored.
public struct ClientRegistrationLimits: Sendable, Hashable {
    /// The largest registration body, in bytes (16 KiB by default).
    public var maximumMetadataBytes: Int
    /// The most redirect URIs one client may register (20).
    public var maximumRedirectURIs: Int
    /// The longest `client_name`, in characters (200).
    public var maximumClientNameLength: Int
    /// The longest URI (redirect URIs, `client_uri`, `logo_uri`, ...), in characters (2,000).
    public var maximumURILength: Int
    /// The most `contacts` entries (10), each at most ``maximumClientNameLength`` characters.
    public var maximumContacts: Int

    /// Creates limits; every argument has the default described on its property.
    public init(
        maximumMetadataBytes: Int = 16_384,
        maximumRedirectURIs: Int = 20,
        maximumClientNameLength: Int = 200,
        maximumURILength: Int = 2_000,
        maximumContacts: Int = 10
    ) {
        self.maximumMetadataBytes = maximumMetadataBytes
        self.maximumRedirectURIs = maximumRedirectURIs
        self.maximumClientNameLength = maximumClientNameLength
        self.maximumURILength = maximumURILength
        self.maximumContacts = maximumContacts
    }
}
