public import AsyncHTTPClient
import Foundation
import NIOCore
public import NIOSSL
public import WorkersRuntime

/// The outbound `fetch` handlers get by default: AsyncHTTPClient with a timeout and a response size cap.
///
/// Redirects are not followed (the Worker sees the 3xx, like `redirect: "manual"`), only `http` and `https` URLs are
/// allowed, and a response larger than ``maxResponseSize`` fails with ``WorkersRuntime/FetchError/responseTooLarge(limit:)``.
public struct HTTPClientFetcher: Fetcher {
    /// The client requests go through.
    public let client: HTTPClient
    /// How long a whole request (connect, send, receive) may take.
    public let timeout: Duration
    /// Largest response body accepted.
    public let maxResponseSize: Int

    /// Creates a fetcher.
    /// - Parameters:
    ///   - client: The client; by default a shared one that does not follow redirects.
    ///   - timeout: Per-request deadline (30 s by default).
    ///   - maxResponseSize: Response body cap (10 MiB by default).
    public init(client: HTTPClient = HTTPClientFetcher.sharedClient, timeout: Duration = .seconds(30), maxResponseSize: Int = 10 * 1024 * 1024) {
        self.client = client
        self.timeout = timeout
        self.maxResponseSize = maxResponseSize
    }

    /// A process-wide client that does not follow redirects.
    public static let sharedClient: HTTPClient = makeClient()

    /// A client that does not follow redirects and trusts the system's CAs plus `additionalTrustRoots` (a
    /// corporate CA, say). Keep it for the life of the process, or shut it down.
    public static func makeClient(additionalTrustRoots: [NIOSSLAdditionalTrustRoots] = []) -> HTTPClient {
        var configuration = HTTPClient.Configuration(tlsConfiguration: tlsConfiguration(additionalTrustRoots: additionalTrustRoots))
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// The client TLS configuration: the system's trust store, plus `additionalTrustRoots`.
    static func tlsConfiguration(additionalTrustRoots: [NIOSSLAdditionalTrustRoots]) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = additionalTrustRoots
        return tls
    }

    public func fetch(_ request: Request) async throws -> Response {
        try await fetch(request, limits: FetchLimits())
    }

    public func fetch(_ request: Request, limits: FetchLimits) async throws -> Response {
        let scheme = request.url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else { throw FetchError.unsupportedScheme(scheme) }
        return try await HTTPClientExchange.send(
            request, to: request.url, through: client, timeout: min(timeout, limits.timeout ?? timeout),
            maximumResponseBytes: min(maxResponseSize, limits.maximumResponseBytes ?? maxResponseSize)
        )
    }
}
