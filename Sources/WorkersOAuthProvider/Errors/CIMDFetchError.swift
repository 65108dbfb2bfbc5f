/// A client id that is a Client ID Metadata Document URL whose document could not be used: the fetch failed (the
/// host is not public, TLS failed, the answer was not 2xx, too large or too slow) or the document is not acceptable
/// (its `client_id` differs from the URL, it has no redirect URIs, it holds a secret…).
///
/// ``OAuthHelpers/parseAuthRequest(_:)`` turns it into a 400 `invalid_request` ``AuthorizationError`` whose
/// description is this error's (it contains "CIMD fetch failed"); the token endpoint answers `invalid_client`
/// "Client not found"; ``OAuthHelpers/lookupClient(_:)`` throws it.
public struct CIMDFetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The client id, the URL of the document.
    public let metadataURL: String
    /// What went wrong, for logs and the authorization error page.
    public let reason: String
    /// Seconds to wait before asking again, when the fetch was refused for being one too many from the caller.
    public let retryAfter: Int?

    /// Creates an error.
    public init(metadataURL: String, reason: String, retryAfter: Int? = nil) {
        self.metadataURL = metadataURL
        self.reason = reason
        self.retryAfter = retryAfter
    }

    /// `CIMD fetch failed for <url>: <reason>` (the anchor's wording).
    public var description: String { "CIMD fetch failed for \(metadataURL): \(reason)" }
}
