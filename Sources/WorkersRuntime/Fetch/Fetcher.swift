import NIOCore

/// Sends outbound HTTP requests for handlers (`env.fetch(request)`).
///
/// The server installs one backed by AsyncHTTPClient with a timeout and a response size cap, and an SSRF-safe one
/// as ``Env/publicFetcher``; tests can install their own.
public protocol Fetcher: Sendable {
    /// Sends `request` and returns the response. Redirects are not followed (`redirect: "manual"`).
    func fetch(_ request: Request) async throws -> Response

    /// Sends `request` within `limits` (on top of the fetcher's own): a response body past
    /// ``FetchLimits/maximumResponseBytes`` is not read further and fails with ``FetchError/responseTooLarge(limit:)``,
    /// and the whole exchange fails with ``FetchError/timedOut`` past ``FetchLimits/timeout``.
    func fetch(_ request: Request, limits: FetchLimits) async throws -> Response
}

extension Fetcher {
    /// Applies `limits` around ``fetch(_:)``, for fetchers that cannot stop reading early: the deadline is a race
    /// against the fetch, and the size is checked once the body is in.
    public func fetch(_ request: Request, limits: FetchLimits) async throws -> Response {
        let response =
            if let timeout = limits.timeout {
                try await FetchDeadline.run(within: timeout) { try await self.fetch(request) }
            } else {
                try await fetch(request)
            }
        if let limit = limits.maximumResponseBytes, (response.body.buffer?.readableBytes ?? 0) > limit {
            throw FetchError.responseTooLarge(limit: limit)
        }
        return response
    }
}
