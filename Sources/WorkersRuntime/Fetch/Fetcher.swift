/// Sends outbound HTTP requests for handlers (`env.fetch(request)`).
///
/// The server installs one backed by AsyncHTTPClient with a timeout and a response size cap; tests can install
/// their own.
public protocol Fetcher: Sendable {
    /// Sends `request` and returns the response. Redirects are not followed (`redirect: "manual"`).
    func fetch(_ request: Request) async throws -> Response
}

/// The fetcher of an ``Env`` built without one: every call fails.
public struct UnavailableFetcher: Fetcher {
    public init() {}

    public func fetch(_ request: Request) async throws -> Response {
        throw FetchError.unavailable
    }
}

/// Outbound fetch failures.
public enum FetchError: Error, Sendable, Equatable {
    /// This environment has no fetcher.
    case unavailable
    /// The response did not arrive within the timeout.
    case timedOut
    /// The response body was larger than the cap.
    case responseTooLarge(limit: Int)
    /// The URL scheme is not http or https.
    case unsupportedScheme(String)
}
