/// Outbound fetch failures.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// This environment has no fetcher.
    case unavailable
    /// The response did not arrive within the timeout.
    case timedOut
    /// The response body was larger than the cap.
    case responseTooLarge(limit: Int)
    /// The URL scheme is not http or https.
    case unsupportedScheme(String)
    /// The URL's host has no address (it does not resolve).
    case unresolvableHost(String)
    /// The URL's host is, or resolves to, an address the SSRF-safe fetch does not connect to (loopback, private,
    /// link-local…); `range` names the range (``IPAddress/nonPublicRange``). No connection was made.
    case nonPublicAddress(host: String, address: String, range: String)

    public var description: String {
        switch self {
        case .unavailable: "outbound fetch is not available in this environment"
        case .timedOut: "timed out"
        case .responseTooLarge(let limit): "the response is larger than \(limit) bytes"
        case .unsupportedScheme(let scheme): "unsupported URL scheme \"\(scheme)\""
        case .unresolvableHost(let host): "\(host) does not resolve"
        case .nonPublicAddress(let host, let address, let range):
            host == address ? "\(address) is not a public address: \(range)" : "\(host) resolves to \(address), not a public address: \(range)"
        }
    }
}
